/**
 * The platform's server for the API load benchmark, in a process of its own so its memory can be read
 * apart from the load generator's. Configured like `npm start` (environment), with the rate limiter in
 * the path but its limits raised so the load is measured rather than refused. Prints one line
 * `LISTENING <url> <pid>` once it serves, and stops on SIGTERM.
 */
import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";

const RAISED = { api: { name: "api", limit: 100_000_000, windowMs: 60_000 }, mint: { name: "mint", limit: 100_000_000, windowMs: 60_000 } };

const server = await startServer(loadConfig(process.env), { rateLimits: RAISED });
console.log(`LISTENING ${server.url} ${process.pid}`);
process.on("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
