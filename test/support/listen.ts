import type { Express } from "express";

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
