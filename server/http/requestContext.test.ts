import type { AddressInfo } from "node:net";

import { Writable } from "node:stream";

import express from "express";
import pino from "pino";
import { Histogram, Registry } from "prom-client";
import { expect, test } from "vitest";

import { createRequestContext } from "./requestContext.js";

test("every request gets an id, echoed in X-Request-Id and carried by its JSON log line with the route pattern", async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const registry = new Registry();
  const httpRequestDuration = new Histogram({
    name: "test_duration_seconds",
    help: "test",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const app = express();
  app.use(createRequestContext({ logger: pino({ level: "info" }, sink), httpRequestDuration }));
  app.get("/api/things/:thingId", (_request, response) => {
    response.json({ ok: true });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const traced = await fetch(`http://127.0.0.1:${port}/api/things/7`, { headers: { "x-request-id": "abc-123" } });
    expect(traced.headers.get("x-request-id")).toBe("abc-123");
    const fresh = await fetch(`http://127.0.0.1:${port}/api/things/8`);
    const freshId = fresh.headers.get("x-request-id");
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/);

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toMatchObject([
      { msg: "request", requestId: "abc-123", method: "GET", route: "/api/things/:thingId", path: "/api/things/7", status: 200 },
      { msg: "request", requestId: freshId, route: "/api/things/:thingId", status: 200 },
    ]);
    const metrics = await registry.metrics();
    expect(metrics).toContain('test_duration_seconds_count{method="GET",route="/api/things/:thingId",status="200"} 2');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
