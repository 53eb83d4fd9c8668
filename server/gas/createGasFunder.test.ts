import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { StartAnvilReturnType } from "../chain/startAnvil.js";
import type { TestDatabase } from "../../test/support/openTestDatabase.js";

import pino from "pino";
import { generatePrivateKey } from "viem/accounts";
import { keccak256, parseEther } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { createChainClients } from "../chain/createChainClients.js";
import { startAnvil } from "../chain/startAnvil.js";
import { createWriteLock } from "../cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";
import { createIssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";
import { createGasFunder } from "./createGasFunder.js";

let anvil: StartAnvilReturnType;
let testDatabase: TestDatabase;
let chain: ChainClients;

const settings = { topUpWei: parseEther("0.05"), budgetWei: parseEther("0.12"), budgetWindowMs: 3_600_000 };

beforeAll(async () => {
  anvil = await startAnvil();
  testDatabase = await openTestDatabase();
  chain = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]! });
});

afterAll(async () => {
  await testDatabase?.dispose();
  await anvil?.stop();
});

async function newIssuer(name: string): Promise<{ issuerId: string; operating: Address }> {
  const { db } = testDatabase;
  const { rows } = await db.query<{ issuer_id: string; key_index: number }>("INSERT INTO issuers (name) VALUES ($1) RETURNING issuer_id, key_index", [name]);
  const keyring = createIssuerKeyring({ db, mnemonic: WELL_KNOWN_DEV_MNEMONIC });
  return { issuerId: rows[0]!.issuer_id, operating: keyring.accountsOf(rows[0]!.key_index).operating.address };
}

function funder(refusals: string[] = []) {
  return createGasFunder(
    { db: testDatabase.db, chain, writeLock: createWriteLock(), logger: pino({ level: "silent" }), onBudgetRefused: (issuerId) => refusals.push(issuerId) },
    settings,
  );
}

test("an empty issuer key is topped up once, and not again while it holds what it needs", async () => {
  const { issuerId, operating } = await newIssuer("Funded");
  const gas = funder();
  await gas.ensureFunded({ issuerId, address: operating, neededWei: parseEther("0.001") });
  expect(await chain.publicClient.getBalance({ address: operating })).toBe(settings.topUpWei);
  await gas.ensureFunded({ issuerId, address: operating, neededWei: parseEther("0.001") });
  const { rows } = await testDatabase.db.query<{ state: string; amount_wei: string }>("SELECT state, amount_wei::text FROM gas_top_ups WHERE issuer_id = $1", [issuerId]);
  expect(rows).toEqual([{ state: "mined", amount_wei: settings.topUpWei.toString() }]);
});

test("a need above the top-up is met in one transfer; ten concurrent needs top up once", async () => {
  const { issuerId, operating } = await newIssuer("Concurrent");
  const gas = funder();
  await Promise.all(Array.from({ length: 10 }, () => gas.ensureFunded({ issuerId, address: operating, neededWei: parseEther("0.07") })));
  expect(await chain.publicClient.getBalance({ address: operating })).toBe(parseEther("0.07"));
  const { rows } = await testDatabase.db.query("SELECT 1 FROM gas_top_ups WHERE issuer_id = $1", [issuerId]);
  expect(rows).toHaveLength(1);
});

test("past the issuer's budget a top-up is refused with ISSUER_GAS_BUDGET_EXCEEDED; another issuer is unaffected", async () => {
  const spender = await newIssuer("Spender");
  const other = await newIssuer("Other");
  const refusals: string[] = [];
  const gas = funder(refusals);
  await gas.ensureFunded({ issuerId: spender.issuerId, address: spender.operating, neededWei: parseEther("0.1") });
  // Spent its gas elsewhere: the key is empty again, and 0.1 + 0.05 would exceed the 0.12 budget.
  await chain.publicClient.request({ method: "anvil_setBalance" as never, params: [spender.operating, "0x0"] as never });
  await expect(gas.ensureFunded({ issuerId: spender.issuerId, address: spender.operating, neededWei: 1n })).rejects.toMatchObject({
    code: "ISSUER_GAS_BUDGET_EXCEEDED",
  });
  expect(refusals).toEqual([spender.issuerId]);
  await gas.ensureFunded({ issuerId: other.issuerId, address: other.operating, neededWei: 1n });
  expect(await chain.publicClient.getBalance({ address: other.operating })).toBe(settings.topUpWei);
});

test("a top-up stored but never broadcast (a crash) is sent by the next one and counted once", async () => {
  const { issuerId, operating } = await newIssuer("Crashed");
  const { walletClient } = chain;
  const request = await walletClient.prepareTransactionRequest({ account: walletClient.account, chain: walletClient.chain, to: operating, value: settings.topUpWei });
  const raw: Hex = await walletClient.signTransaction(request as never);
  await testDatabase.db.query(
    `INSERT INTO gas_top_ups (tx_hash, chain_id, issuer_id, recipient, amount_wei, raw_transaction, state) VALUES ($1, $2, $3, $4, $5, $6, 'signed')`,
    [keccak256(raw), BigInt(chain.chainId), issuerId, operating, settings.topUpWei.toString(), raw],
  );
  await funder().ensureFunded({ issuerId, address: operating, neededWei: parseEther("0.01") });
  expect(await chain.publicClient.getBalance({ address: operating })).toBe(settings.topUpWei);
  const { rows } = await testDatabase.db.query<{ state: string }>("SELECT state FROM gas_top_ups WHERE issuer_id = $1", [issuerId]);
  expect(rows).toEqual([{ state: "mined" }]);
});

test("a funding key that cannot pay is GAS_FUNDING_EXHAUSTED, and nothing is stored against the issuer's budget", async () => {
  const { issuerId, operating } = await newIssuer("Unfunded platform");
  const emptyFunder = createChainClients({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, signerPrivateKey: generatePrivateKey() });
  const gas = createGasFunder({ db: testDatabase.db, chain: emptyFunder, writeLock: createWriteLock(), logger: pino({ level: "silent" }) }, settings);
  await expect(gas.ensureFunded({ issuerId, address: operating, neededWei: 1n })).rejects.toMatchObject({ code: "GAS_FUNDING_EXHAUSTED" });
  const { rows } = await testDatabase.db.query("SELECT 1 FROM gas_top_ups WHERE issuer_id = $1", [issuerId]);
  expect(rows).toEqual([]);
});
