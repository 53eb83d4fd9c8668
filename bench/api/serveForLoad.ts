/**
 * The platform's server for the API load benchmark, in a process of its own so its memory can be read
 * apart from the load generator's. Configured like `npm start` (environment), with the rate limiters in
 * the path but their limits raised (unless the environment sets them) so the load is measured rather than refused. Prints one line
 * `LISTENING <url> <pid>` once it serves, and stops on SIGTERM.
 */
import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { RAISED_RATE_LIMITS } from "../support/raisedRateLimits.js";

const server = await startServer(loadConfig({ ...RAISED_RATE_LIMITS, ...process.env }));
console.log(`LISTENING ${server.url} ${process.pid}`);
process.on("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
