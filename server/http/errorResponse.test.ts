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
  expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: expect.any(String), details: {} } });
  expect(text).not.toContain("hunter2");
  expect(text).not.toContain("/srv/secret");
  expect(JSON.stringify(logged)).toContain("hunter2");
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
