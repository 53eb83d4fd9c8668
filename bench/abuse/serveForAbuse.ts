/**
 * The platform's server for the hostile-load benchmark, in a process of its own (so its event loop and
 * memory are its own), configured from the environment exactly as `npm start` is: the limits are the
 * defaults a deployment gets, not raised. Prints `LISTENING <url> <pid> <rpcUrl>` once it serves.
 */
import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";

const server = await startServer(loadConfig(process.env));
console.log(`LISTENING ${server.url} ${process.pid} ${server.rpcUrl}`);
process.on("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
