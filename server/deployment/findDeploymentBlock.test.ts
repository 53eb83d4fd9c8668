import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { deployVermilion } from "../../test/support/deployVermilion.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { findDeploymentBlock } from "./findDeploymentBlock.js";

let anvil: StartAnvilReturnType;

beforeAll(async () => {
  anvil = await startAnvil();
});

afterAll(async () => {
  await anvil?.stop();
});

test("finds the block a contract was deployed in, with blocks before and after it", async () => {
  const client = createPublicClient({ transport: http(anvil.rpcUrl) });
  await client.request({ method: "anvil_mine" as never, params: ["0x25"] as never });
  const vermilion = await deployVermilion(anvil.rpcUrl);
  await client.request({ method: "anvil_mine" as never, params: ["0x7"] as never });

  const found = await findDeploymentBlock(client, { address: vermilion.factoryAddress });

  expect(found).toEqual({ blockNumber: vermilion.factoryBlock, exact: true });
  expect(vermilion.factoryBlock).toBeGreaterThan(37n);
});

test("a node without historical state makes the search fall back to block 0, marked inexact", async () => {
  const client = createPublicClient({ transport: http(anvil.rpcUrl) });
  const vermilion = await deployVermilion(anvil.rpcUrl);
  const head = await client.getBlockNumber();
  const prunedNode = {
    getBlockNumber: () => client.getBlockNumber(),
    getCode: async (parameters: { address: `0x${string}`; blockNumber?: bigint }) => {
      if (parameters.blockNumber !== undefined && parameters.blockNumber < head) throw new Error("missing trie node");
      return client.getCode(parameters);
    },
  };

  expect(await findDeploymentBlock(prunedNode as never, { address: vermilion.factoryAddress })).toEqual({ blockNumber: 0n, exact: false });
});
