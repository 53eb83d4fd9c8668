import type { IncomingMessage } from "node:http";

import { request } from "node:http";

import { expect, test } from "vitest";

import { startTestPlatform } from "../support/startTestPlatform.js";

const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";

test("stop() refuses new connections but lets a request in flight finish and answer", async () => {
  const platform = await startTestPlatform("shutdown", { ADMIN_API_KEY });
  const url = new URL(platform.server.url);
  const body = JSON.stringify({ name: "Issuer created while shutting down" });

  // A client that sends half its body, then the rest later: the request is in flight meanwhile.
  const inFlight = request({
    host: url.hostname,
    port: url.port,
    method: "POST",
    path: "/api/issuers",
    headers: { authorization: `Bearer ${ADMIN_API_KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    inFlight.once("response", (response: IncomingMessage) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.once("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    inFlight.once("error", reject);
  });
  inFlight.write(body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 300));

  let stopped = false;
  const stopping = platform.stop().then(() => (stopped = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  // No longer accepting: a new connection is refused.
  await expect(fetch(`${platform.server.url}/api/health/live`)).rejects.toThrow();
  expect(stopped).toBe(false);

  inFlight.end(body.slice(10));
  const response = await answered;
  expect(response.status).toBe(201);
  expect(JSON.parse(response.body)).toMatchObject({ apiKey: expect.stringMatching(/^vmn_/) });
  await stopping;
  expect(stopped).toBe(true);
});
