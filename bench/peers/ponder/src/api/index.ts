import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

// Ponder's own HTTP API, as its docs set it up: GraphQL (the API benchmark asks it for "owner and history
// of token X") and SQL over HTTP. The ingest benchmark reads Ponder's tables directly and only polls /ready.
const app = new Hono();
app.use("/graphql", graphql({ db, schema }));
app.use("/sql/*", client({ db, schema }));

export default app;
