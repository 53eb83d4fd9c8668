/**
 * The platform's server for the API load benchmark, in a process of its own so its memory can be read
 * apart from the load generator's. Configured like `npm start` (environment), with the rate limiters in
 * the path but their limits raised (unless the environment sets them) so the load is measured rather than
 * refused. Prints one line `LISTENING <url> <pid>` once it serves, one line `MEMORY <json>`
 * (process.memoryUsage() and V8's heap spaces, after a full GC when started with --expose-gc) on each
 * SIGUSR2, and stops on SIGTERM.
 */
import v8 from "node:v8";

import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { RAISED_RATE_LIMITS } from "../support/raisedRateLimits.js";

const server = await startServer(loadConfig({ ...RAISED_RATE_LIMITS, ...process.env }));
console.log(`LISTENING ${server.url} ${process.pid}`);
process.on("SIGUSR2", () => {
  // Started with --expose-gc, a full collection first: what remains is what the server keeps, not garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
  console.log(`MEMORY ${JSON.stringify({ ...process.memoryUsage(), spaces })}`);
});
process.on("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
