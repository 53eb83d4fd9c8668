import { CarWriter } from "@ipld/car/writer";
import { CID } from "multiformats/cid";
import * as json from "multiformats/codecs/json";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { describe, expect, test } from "vitest";

import { hasErrorCode } from "../verifierError.js";
import { openProvenanceBundle } from "./openProvenanceBundle.js";

async function carOf(codec: number, bytes: Uint8Array): Promise<Uint8Array> {
  const cid = CID.createV1(codec, await sha256.digest(bytes));
  const { writer, out } = CarWriter.create([cid]);
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of out) chunks.push(chunk);
    return new Uint8Array(Buffer.concat(chunks));
  })();
  await writer.put({ cid, bytes });
  await writer.close();
  return collected;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const bundleRoot = {
  format: "vermilion-provenance-bundle",
  version: 1,
  chainId: 31337,
  contract: `0x${"11".repeat(20)}`,
  factory: `0x${"22".repeat(20)}`,
  editionId: "1",
  factoryFromBlock: "0",
  pinnedBlock: { number: "5", hash: `0x${"ab".repeat(32)}`, timestamp: "1700000000" },
  metadataCid: "bafymetadata",
  mediaCid: "bafymedia",
  events: [],
  answers: [{ method: "getChainId", params: [], result: 31337 }],
};

describe("openProvenanceBundle", () => {
  test("refuses a CAR that is not a provenance bundle with BUNDLE_INVALID", async () => {
    const rawRoot = await carOf(raw.code, new TextEncoder().encode("hello"));
    expect(hasErrorCode(await rejection(openProvenanceBundle(rawRoot)), "BUNDLE_INVALID")).toBe(true);
    const wrongShape = await carOf(json.code, json.encode({ format: "something else" }));
    expect(hasErrorCode(await rejection(openProvenanceBundle(wrongShape)), "BUNDLE_INVALID")).toBe(true);
    expect(hasErrorCode(await rejection(openProvenanceBundle(new Uint8Array([1, 2, 3]))), "CAR_INVALID")).toBe(true);
  });

  test("answers only what was recorded: anything else is BUNDLE_INCOMPLETE", async () => {
    const opened = await openProvenanceBundle(await carOf(json.code, json.encode(bundleRoot)));
    expect(await opened.chain.getChainId()).toBe(31337);
    expect(opened.chain.pinnedBlock).toEqual(bundleRoot.pinnedBlock);
    const error = await rejection(opened.chain.getCode(`0x${"11".repeat(20)}`));
    expect(hasErrorCode(error, "BUNDLE_INCOMPLETE")).toBe(true);
  });
});
