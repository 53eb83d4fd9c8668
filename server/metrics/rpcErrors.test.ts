import { expect, test } from "vitest";

import { findFreePort } from "../chain/startAnvil.js";
import { createChainClients } from "../chain/createChainClients.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { rpcErrorKind } from "./createMetrics.js";

test("a JSON-RPC call that fails is reported once, with its method, and classified as a network error", async () => {
  const closedPort = await findFreePort();
  const failures: Array<{ method: string; kind: string }> = [];
  const chain = createChainClients({
    rpcUrl: `http://127.0.0.1:${closedPort}`,
    chainId: 31337,
    signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]!,
    onRequestError: (method, error) => failures.push({ method, kind: rpcErrorKind(error) }),
  });

  await expect(chain.publicClient.getBlockNumber({ cacheTime: 0 })).rejects.toThrow();
  expect(failures).toEqual([{ method: "eth_blockNumber", kind: "network" }]);
});
