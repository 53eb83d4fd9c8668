import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, expect, test } from "vitest";

import { isVermilionError } from "../../errors/VermilionError.js";
import { checkGlbJson, closeGlbJsonWorkers } from "./checkGlbJson.js";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "vermilion-glb-json-"));
});

afterAll(async () => {
  await closeGlbJsonWorkers();
  await rm(directory, { recursive: true, force: true });
});

/** A file holding `json` at byte 20, as in a GLB. */
async function glbFile(name: string, json: string): Promise<{ path: string; offsetBytes: number; lengthBytes: number }> {
  const filePath = path.join(directory, name);
  const bytes = Buffer.from(json);
  await writeFile(filePath, Buffer.concat([Buffer.alloc(20), bytes]));
  return { path: filePath, offsetBytes: 20, lengthBytes: bytes.byteLength };
}

async function refusal(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

test("a glTF 2 JSON chunk passes", async () => {
  await expect(checkGlbJson(await glbFile("ok", '{"asset":{"version":"2.0"},"nodes":[{"children":[]}]}'))).resolves.toBeUndefined();
});

test("nesting deeper than the limit is refused with MEDIA_DECLARED_SIZE_TOO_LARGE before parsing", async () => {
  const deep = `{"asset":{"version":"2.0"},"extras":${"[".repeat(65)}${"]".repeat(65)}}`;
  const error = await refusal(checkGlbJson(await glbFile("deep", deep)));
  expect(isVermilionError(error, "MEDIA_DECLARED_SIZE_TOO_LARGE"), String(error)).toBe(true);
  expect((error as { details: { declared: string } }).details.declared).toBe("JSON nesting depth");
});

test("JSON that is not glTF 2, or not JSON, is refused with MEDIA_MALFORMED", async () => {
  for (const [name, json] of [["v1", '{"asset":{"version":"1.0"}}'], ["text", "not json at all"]]) {
    const error = await refusal(checkGlbJson(await glbFile(name!, json!)));
    expect(isVermilionError(error, "MEDIA_MALFORMED"), String(error)).toBe(true);
  }
});

test("a parse past its time budget is stopped and refused with MEDIA_DECODE_BUDGET_EXCEEDED", async () => {
  // 16 MiB of numbers in one array: far more than a millisecond's work for the worker.
  const big = `{"asset":{"version":"2.0"},"extras":[${"1,".repeat(8 * 1024 * 1024)}1]}`;
  const error = await refusal(checkGlbJson({ ...(await glbFile("big", big)), timeoutMs: 1 }));
  expect(isVermilionError(error, "MEDIA_DECODE_BUDGET_EXCEEDED"), String(error)).toBe(true);
});
