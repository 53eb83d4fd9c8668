import http from "node:http";

import express from "express";
import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";

import { listen, type ListeningServer } from "../../test/support/listen.js";
import { createApp } from "../app.js";
import { VermilionError } from "../errors/VermilionError.js";

let server: ListeningServer;
const logged: unknown[] = [];

beforeAll(async () => {
  const router = express.Router();
  router.get("/api/explode", () => {
    throw new Error("password=hunter2 at /srv/secret/path");
  });
  router.get("/api/store-down", () => {
    throw new VermilionError("IPFS_NODE_UNAVAILABLE", { reason: "dial tcp 10.0.0.5:5001: connect: connection refused" });
  });
  router.post("/api/refuse-unread", () => {
    throw new VermilionError("PAYLOAD_TOO_LARGE", { limit: "0 bytes" });
  });
  router.get("/api/sold-out", () => {
    throw new VermilionError("EDITION_SOLD_OUT", { editionId: "7", requested: "3", remaining: "1" });
  });
  const logger = pino({ level: "error" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  server = await listen(createApp({ logger, routers: [router] }));
});

afterAll(async () => {
  await server?.close();
});

test("an unexpected exception is 500 INTERNAL with no detail of it in the response, and is logged", async () => {
  const response = await fetch(`${server.baseUrl}/api/explode`);
  const text = await response.text();
  expect(response.status).toBe(500);
  // The request id is the one thing about the failure a client gets back, to quote to support.
  expect(JSON.parse(text)).toEqual({
    error: { code: "INTERNAL", message: expect.any(String), details: {}, requestId: response.headers.get("x-request-id") },
  });
  expect(text).not.toContain("hunter2");
  expect(text).not.toContain("/srv/secret");
  expect(JSON.stringify(logged)).toContain("hunter2");
});

test("a remote store's 503 shows the catalogue's words with empty details; its raw text reaches the logs only", async () => {
  for (const language of ["en", "zh-CN"]) {
    const response = await fetch(`${server.baseUrl}/api/store-down`, { headers: { "accept-language": language } });
    const text = await response.text();
    expect(response.status).toBe(503);
    const body = JSON.parse(text) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe("IPFS_NODE_UNAVAILABLE");
    expect(body.error.details).toEqual({});
    expect(text).not.toContain("10.0.0.5");
    expect(text).not.toContain("connection refused");
  }
  expect(JSON.stringify(logged)).toContain("dial tcp 10.0.0.5:5001");
});

test("the message follows Accept-Language (zh-CN, zh, en; English otherwise) while the code stays put", async () => {
  const messageFor = async (acceptLanguage: string) => {
    const response = await fetch(`${server.baseUrl}/api/sold-out`, { headers: { "accept-language": acceptLanguage } });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("EDITION_SOLD_OUT");
    return body.error.message;
  };
  const english = await messageFor("en-GB,en;q=0.9");
  expect(english).toMatch(/sold out/i);
  expect(await messageFor("zh-CN,zh;q=0.9,en;q=0.5")).toMatch(/[\u4e00-\u9fff]/);
  expect(await messageFor("zh")).toBe(await messageFor("zh-CN"));
  expect(await messageFor("fr-FR")).toBe(english);
});

test("a request refused before its body was read closes the connection instead of draining the body", async () => {
  // Only the first 64 KiB of a declared 8 MiB body is sent: the answer must not wait for the rest.
  const refused = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const request = http.request(`${server.baseUrl}/api/refuse-unread`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "content-length": String(8 * 1024 * 1024) },
    });
    request.on("response", (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
      request.destroy();
    });
    request.on("error", reject);
    request.write(new Uint8Array(64 * 1024));
  });
  expect(refused).toEqual({ status: 413, connection: "close" });
  // A refusal whose request had no body left keeps the connection.
  const kept = await fetch(`${server.baseUrl}/api/sold-out`);
  expect(kept.status).toBe(409);
  expect(kept.headers.get("connection")).not.toBe("close");
});
