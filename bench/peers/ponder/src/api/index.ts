import { Hono } from "hono";

// Ponder requires an API module; the benchmark reads Ponder's tables directly and only polls /ready.
export default new Hono();
