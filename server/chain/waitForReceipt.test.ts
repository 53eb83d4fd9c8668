import type { Chain, LocalAccount, PublicClient, Transport, WalletClient } from "viem";
import type { StartAnvilReturnType } from "./startAnvil.js";

import { createPublicClient, createWalletClient, http, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, expect, test } from "vitest";

import { startAnvil } from "./startAnvil.js";
import { waitForReceipt } from "./waitForReceipt.js";

// Anvil's second dev key: a plain sender of its own, so the tests' nonces are theirs alone.
const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const recipient = "0x000000000000000000000000000000000000c0de";

let anvil: StartAnvilReturnType;
let publicClient: PublicClient;
let wallet: WalletClient<Transport, Chain, LocalAccount>;

const request = (method: string, params: unknown[] = []) => publicClient.request({ method: method as never, params: params as never });

beforeAll(async () => {
  // Nothing is mined unless the test says so: a sent transaction waits in the mempool.
  anvil = await startAnvil({ extraArgs: ["--no-mining"] });
  const chain = { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
  publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 50 });
  wallet = createWalletClient({ account, chain, transport: http(anvil.rpcUrl) });
});

afterAll(async () => {
  await anvil?.stop();
});

async function signTransfer() {
  const request = await wallet.prepareTransactionRequest({ to: recipient, value: 1n });
  const raw = await wallet.signTransaction(request as never);
  return { raw, hash: keccak256(raw) };
}

test("a transaction the node dropped is sent again from its signed bytes, and its receipt returned", async () => {
  const { raw, hash } = await signTransfer();
  await publicClient.sendRawTransaction({ serializedTransaction: raw });
  let rebroadcasts = 0;
  const waiting = waitForReceipt({ publicClient }, { hash, rawTransaction: raw, mempoolCheckMs: 100, onRebroadcast: () => rebroadcasts++ });

  await request("anvil_dropTransaction", [hash]);
  expect(await request("eth_getTransactionByHash", [hash])).toBeNull();
  // Back in the mempool, the same transaction: then one block mines it.
  while ((await request("eth_getTransactionByHash", [hash])) === null) await new Promise((resolve) => setTimeout(resolve, 50));
  await request("evm_mine");

  const receipt = await waiting;
  expect(receipt.transactionHash).toBe(hash);
  expect(receipt.status).toBe("success");
  expect(rebroadcasts).toBeGreaterThanOrEqual(1);
});

test("without its signed bytes, a dropped transaction fails the wait with CHAIN_TRANSACTION_DROPPED", async () => {
  const { raw, hash } = await signTransfer();
  await publicClient.sendRawTransaction({ serializedTransaction: raw });
  const waiting = waitForReceipt({ publicClient }, { hash, mempoolCheckMs: 100 });
  const settled = waiting.then(
    () => undefined,
    (error: unknown) => error,
  );
  await request("anvil_dropTransaction", [hash]);

  expect(await settled).toMatchObject({ code: "CHAIN_TRANSACTION_DROPPED", details: { txHash: hash } });
  await request("evm_mine");
  expect(await publicClient.getTransactionCount({ address: account.address })).toBe(1);
});
