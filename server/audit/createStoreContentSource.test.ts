import { CID } from "multiformats/cid";
import { expect, test } from "vitest";

import { VermilionError } from "../errors/VermilionError.js";
import { createStoreContentSource } from "./createStoreContentSource.js";

const cid = CID.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");

test("a remote store's error text stays out of what the verifier (and so a public report) sees", async () => {
  const raw = "Post \"http://10.0.0.5:5001/api/v0/block/get\": dial tcp: connection refused";
  const source = createStoreContentSource({
    getBlock: async () => {
      throw new VermilionError("IPFS_NODE_UNAVAILABLE", { reason: raw });
    },
  });
  const failure = (await source.getBlock(cid).then(
    () => undefined,
    (error: unknown) => error,
  )) as VermilionError;
  expect(failure).toMatchObject({ code: "IPFS_NODE_UNAVAILABLE" });
  expect(failure.message).not.toContain("10.0.0.5");
  expect((failure.cause as VermilionError).message).toContain("10.0.0.5");
});

test("absent content is passed on as it is (CONTENT_NOT_FOUND names only our CID)", async () => {
  const source = createStoreContentSource({
    getBlock: async () => {
      throw new VermilionError("CONTENT_NOT_FOUND", { cid: cid.toString() });
    },
  });
  await expect(source.getBlock(cid)).rejects.toMatchObject({ code: "CONTENT_NOT_FOUND" });
});
