import type { Address, Hex } from "viem";
import type { ChainClients } from "../../server/chain/createChainClients.js";
import type { Database } from "../../server/db/Database.js";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";
import type { PlatformWithSharedDatabase } from "../support/createIssuerCollectionOnChain.js";

import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { recoverTypedDataAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createChainClients } from "../../server/chain/createChainClients.js";
import { ISSUER_ROLE } from "../../server/chain/decodeContractError.js";
import { mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";
import { toStoredAddress } from "../../server/chain/toStoredAddress.js";
import { createWriteLocks } from "../../server/cluster/createWriteLock.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { handOverCollection } from "../../server/issuers/handOver/handOverCollection.js";
import { createIssuerCollectionOnChain, startPlatformWithSharedDatabase } from "../support/createIssuerCollectionOnChain.js";
import { samplePng } from "../storage/mediaSamples.js";

const DEFAULT_ADMIN_ROLE: Hex = `0x${"00".repeat(32)}`;

let shared: PlatformWithSharedDatabase;
let server: RunningServer;
let call: ApiClient;
let db: Database;
/** The platform's key, as the operator's CLI holds it. */
let chain: ChainClients;

beforeAll(async () => {
  shared = await startPlatformWithSharedDatabase("hand-over");
  ({ db } = shared);
  ({ server, call } = shared.platform);
  chain = createChainClients({ rpcUrl: server.rpcUrl, chainId: server.chainId, signerPrivateKey: WELL_KNOWN_DEV_PRIVATE_KEYS[0]!, pollingIntervalMs: 50 });
});

afterAll(async () => {
  await shared?.stop();
});

/** An issuer with a collection made the old way: the factory given the platform's key as admin and issuer, the row's key columns NULL. */
async function oldStyleCollection(name: string) {
  const issuer = await call<{ issuerId: string; apiKey: string }>("POST", "/api/issuers", { key: server.firstAdminApiKey!, body: { name } });
  expect(issuer.status).toBe(201);
  const made = await createIssuerCollectionOnChain(
    { db, rpcUrl: server.rpcUrl, chainId: server.chainId, factoryAddress: server.factoryAddress as Address },
    { issuerId: issuer.body.issuerId, issuerAccounts: false },
  );
  return { ...issuer.body, ...made, address: made.accounts.custodialAdmin.address, operatingKey: made.accounts.operating.address };
}

async function postEdition(collection: Address, apiKey: string, name: string) {
  const form = new FormData();
  const fields = { name, description: "Handed over", maxSupply: "5", royaltyBps: "0", royaltyReceiver: `0x${"12".repeat(20)}`, license: "CC0" };
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
  form.append("media", new Blob([new Uint8Array(samplePng(8, 8))]), "media.png");
  const response = await fetch(`${server.url}/api/collections/${collection}/editions`, { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form });
  return { status: response.status, body: (await response.json()) as { editionId: string; txHash: Hex } };
}

type IssuedVoucher = { voucher: { editionId: string; to: Address; quantity: string; nonce: string; deadline: string }; signature: Hex };

async function issueVoucher(collection: Address, apiKey: string, editionId: string) {
  return call<IssuedVoucher>("POST", `/api/collections/${collection}/editions/${editionId}/vouchers`, {
    key: apiKey,
    body: { to: `0x${"56".repeat(20)}`, quantity: 1 },
  });
}

function voucherOf(issued: IssuedVoucher) {
  const { voucher } = issued;
  return { editionId: BigInt(voucher.editionId), to: voucher.to, quantity: BigInt(voucher.quantity), nonce: BigInt(voucher.nonce), deadline: BigInt(voucher.deadline) };
}

const hasRole = (collection: Address, role: Hex, account: Address) =>
  chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });

describe("handing a collection made before issuer accounts over to its issuer", () => {
  test("the issuer's address becomes admin and its operating key the issuer; the platform's key keeps no role; editions and vouchers then go through the operating key", async () => {
    const old = await oldStyleCollection("Old Museum");
    const { collection, platform } = old;
    // Before: the platform's key sends the edition and signs a voucher, still open.
    const before = await postEdition(collection, old.apiKey, "Before");
    expect(before.status).toBe(201);
    expect(toStoredAddress((await chain.publicClient.getTransaction({ hash: before.body.txHash })).from)).toBe(platform);
    const openVoucher = await issueVoucher(collection, old.apiKey, before.body.editionId);
    expect(openVoucher.status).toBe(201);

    const deps = { db, chain, writeLocks: createWriteLocks({ db, chainId: server.chainId }) };
    // A dry run sends nothing and says what would be.
    const planned = await handOverCollection(deps, { collection, dryRun: true, acceptOpenVouchersVoid: true });
    expect(planned.state).toBe("planned");
    expect(planned.steps.map((step) => step.state)).toEqual(["planned", "planned", "planned", "planned"]);
    expect(await hasRole(collection, ISSUER_ROLE, platform)).toBe(true);

    // The platform-signed voucher is reported, and refuses the hand-over until accepted as void.
    const refused = await handOverCollection(deps, { collection });
    expect(refused).toMatchObject({ state: "refused", reason: "open-vouchers", steps: [] });
    expect(refused.openVouchers.map((voucher) => voucher.nonce)).toEqual([openVoucher.body.voucher.nonce]);
    expect(await hasRole(collection, DEFAULT_ADMIN_ROLE, platform)).toBe(true);

    const handed = await handOverCollection(deps, { collection, acceptOpenVouchersVoid: true });
    expect(handed).toMatchObject({ state: "handed-over", admin: old.address, operatingKey: old.operatingKey, voidedVouchers: 1 });
    expect(handed.steps.map((step) => [step.name, step.state])).toEqual([
      ["grant-admin-to-issuer", "done"],
      ["revoke-issuing-from-platform", "done"],
      ["grant-issuing-to-operating-key", "done"],
      ["renounce-admin-of-platform", "done"],
    ]);
    expect(await hasRole(collection, ISSUER_ROLE, platform)).toBe(false);
    expect(await hasRole(collection, DEFAULT_ADMIN_ROLE, platform)).toBe(false);
    expect(await hasRole(collection, DEFAULT_ADMIN_ROLE, old.address)).toBe(true);
    expect(await hasRole(collection, ISSUER_ROLE, old.operatingKey)).toBe(true);
    const { rows } = await db.query<{ admin_address: string; operating_address: string }>(
      "SELECT admin_address, operating_address FROM collections WHERE address = $1",
      [collection],
    );
    expect(rows).toEqual([{ admin_address: old.address, operating_address: old.operatingKey }]);
    // The voucher the platform's key signed is refused by the contract now.
    await expect(
      chain.publicClient.simulateContract({
        account: chain.walletClient.account,
        address: collection,
        abi: vermilionCollectionAbi,
        functionName: "redeem",
        args: [voucherOf(openVoucher.body), openVoucher.body.signature],
      }),
    ).rejects.toThrow(/VoucherSignerNotIssuer/);

    // After: the operating key sends editions (topped up by the funding key) and signs vouchers.
    const after = await postEdition(collection, old.apiKey, "After");
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(toStoredAddress((await chain.publicClient.getTransaction({ hash: after.body.txHash })).from)).toBe(old.operatingKey);
    const voucher = await issueVoucher(collection, old.apiKey, after.body.editionId);
    expect(voucher.status).toBe(201);
    const signer = await recoverTypedDataAddress({ ...mintVoucherTypedData(server.chainId, collection, voucherOf(voucher.body)), signature: voucher.body.signature });
    expect(toStoredAddress(signer)).toBe(old.operatingKey);
    const redeemed = await chain.walletClient.writeContract({
      address: collection,
      abi: vermilionCollectionAbi,
      functionName: "redeem",
      args: [voucherOf(voucher.body), voucher.body.signature],
    });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash: redeemed })).status).toBe("success");

    // A rerun after a crash between the chain and the row: every step is skipped, the row is set again.
    await db.query("UPDATE collections SET admin_address = NULL, operating_address = NULL WHERE address = $1", [collection]);
    const rerun = await handOverCollection(deps, { collection });
    expect(rerun.state).toBe("handed-over");
    expect(rerun.steps.map((step) => step.state)).toEqual(["skipped", "skipped", "skipped", "skipped"]);
    const again = await handOverCollection(deps, { collection });
    expect(again).toMatchObject({ state: "refused", reason: "not-a-platform-collection" });
  });

  test("npm run issuers:hand-over refuses a collection with open platform vouchers, then hands it over with --accept-open-vouchers-void", async () => {
    const old = await oldStyleCollection("Older Museum");
    const edition = await postEdition(old.collection, old.apiKey, "Open voucher");
    expect(edition.status).toBe(201);
    expect((await issueVoucher(old.collection, old.apiKey, edition.body.editionId)).status).toBe(201);
    const env = { ...process.env, RPC_URL: server.rpcUrl, DATABASE_URL: shared.databaseUrl, DATA_DIR: shared.platform.dataDir, LOG_LEVEL: "silent" };
    const run = (args: string[]) =>
      promisify(execFile)("npx", ["tsx", "scripts/handOverCollections.ts", "--collection", old.collection, ...args], { env }).then(
        (output) => ({ code: 0, stdout: output.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );

    const refused = await run([]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("1 open voucher(s) signed by the platform's key");
    expect(refused.stdout).toContain("refused: open vouchers");
    expect(await hasRole(old.collection, ISSUER_ROLE, old.platform)).toBe(true);

    const handed = await run(["--accept-open-vouchers-void"]);
    expect(handed.code, handed.stdout).toBe(0);
    expect(handed.stdout).toContain("done    renounce-admin-of-platform");
    expect(handed.stdout).toContain(`handed over: admin ${old.address}, issuing key ${old.operatingKey}; 1 voucher(s) voided`);
    expect(await hasRole(old.collection, ISSUER_ROLE, old.platform)).toBe(false);
    expect(await hasRole(old.collection, DEFAULT_ADMIN_ROLE, old.platform)).toBe(false);
  });
});
