import type { Express } from "express";
import type { Server } from "node:http";
import type { Config } from "../config/loadConfig.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import { once } from "node:events";

import { closeGracefully } from "./closeGracefully.js";

export interface ListenDeps {
  shutdown: Pick<ShutdownStack, "defer">;
}

export interface ListenParameters {
  app: Express;
  config: Pick<Config, "port" | "host" | "shutdownTimeoutMs">;
}

export interface ListenReturnType {
  server: Server;
  /** The port listened on (the one asked for, or the one the system chose for port 0). */
  port: number;
}

/** Serves `app` on the configured host and port; on shutdown, closes gracefully. */
export async function listen(deps: ListenDeps, parameters: ListenParameters): Promise<ListenReturnType> {
  const { app, config } = parameters;
  const server: Server = app.listen(config.port, config.host);
  await once(server, "listening");
  // Shutdown stops accepting first, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_MS), then
  // the roles hand over (their leases released) and the rest closes in reverse order of starting.
  deps.shutdown.defer(() => closeGracefully(server, config.shutdownTimeoutMs));
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : config.port;
  return { server, port };
}
