import type { Express } from "express";
import type { Server } from "node:http";

import type { AddressInfo } from "node:net";

export interface ListeningServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves `app` on an ephemeral loopback port. */
export async function listen(app: Express): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error?: Error) => {
      if (error) return reject(error);
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export interface LoopbackServer {
  url: string;
  /** Closes the server, cutting open (keep-alive or hung) connections rather than waiting for them. */
  stop(): Promise<void>;
}

/** Listens with a test's own `http.Server` (a proxy, a gateway, a fake service) on an ephemeral loopback port. */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
