import type { Address, Hex, LocalAccount } from "viem";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { WriteLocks } from "../../cluster/createWriteLock.js";
import type { Database } from "../../db/Database.js";
import type { OpenPlatformVoucher } from "./findOpenPlatformVouchers.js";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { ISSUER_ROLE } from "../../chain/decodeContractError.js";
import { sendCollectionTransactionAs } from "../accounts/sendCollectionTransaction.js";
import { toStoredAddress } from "../../chain/toStoredAddress.js";
import { findOpenPlatformVouchers } from "./findOpenPlatformVouchers.js";

const DEFAULT_ADMIN_ROLE: Hex = `0x${"00".repeat(32)}`;

export interface HandOverCollectionDeps {
  db: Database;
  /** Its `walletClient` is the platform's key: today admin and issuer of the collection. */
  chain: ChainClients;
  /** The platform's key sends under its own write lock, shared with the running server's writes. */
  writeLocks: WriteLocks;
}

export interface HandOverCollectionParameters {
  collection: Address;
  /** Report what would be sent and send nothing. */
  dryRun?: boolean;
  /** Go on although vouchers signed by the platform's key are still open: they become void. */
  acceptOpenVouchersVoid?: boolean;
  /** Told of each step as it is decided (and, unless a dry run, done). */
  onStep?: (step: HandOverStep) => void;
}

export type HandOverStepName = "grant-admin-to-issuer" | "revoke-issuing-from-platform" | "grant-issuing-to-operating-key" | "renounce-admin-of-platform";

export interface HandOverStep {
  name: HandOverStepName;
  /** done: sent now; skipped: the chain already says so (an earlier run); planned: a dry run's. */
  state: "done" | "skipped" | "planned";
  txHash?: Hex;
}

export interface HandOverCollectionReturnType {
  collection: Address;
  /** The issuer's address (its admin from now on) and its operating key (the issuing role). */
  admin: Address | null;
  operatingKey: Address | null;
  /**
   * handed-over: roles moved and the row updated; planned: a dry run; refused: nothing sent, see `reason`
   * (open vouchers without `acceptOpenVouchersVoid`, open mint jobs, an issuer without keys, a collection already handed over).
   */
  state: "handed-over" | "planned" | "refused";
  reason?: "open-vouchers" | "open-mint-jobs" | "issuer-without-keys" | "not-a-platform-collection";
  steps: HandOverStep[];
  /** Vouchers signed by the platform's key a collector could still redeem: void once its issuing role is revoked. */
  openVouchers: OpenPlatformVoucher[];
  /** Vouchers marked void by this run (no longer holding supply). */
  voidedVouchers: number;
}

/**
 * Hands a collection made before issuer accounts over to its issuer, with the platform's key (its
 * admin and issuer until now): the issuer's address becomes admin, its operating key the issuer, and
 * the platform's key keeps no role; then the row records both, so every later write goes through them.
 *
 * Steps, each skipped when `hasRole` says it is done (a rerun after a crash finishes the job):
 * 1. grant DEFAULT_ADMIN_ROLE to the issuer's address;
 * 2. revoke ISSUER_ROLE from the platform's key, before 3, so that the operating key is granted the
 *    role while no one holds the contract's primary-issuer slot and takes it (its mints then skip the
 *    role lookup; granted first, it would leave the slot empty once the platform's key is revoked);
 * 3. grant ISSUER_ROLE to the operating key;
 * 4. the platform's key renounces DEFAULT_ADMIN_ROLE (last: until then it can repair any step).
 *
 * Refused, with nothing sent: while mint jobs of the collection are open (their sender is the
 * platform's key, which will no longer be allowed to mint), and while vouchers the platform's key
 * signed are open, unless `acceptOpenVouchersVoid`: they are then marked void and release their supply.
 */
export async function handOverCollection(deps: HandOverCollectionDeps, parameters: HandOverCollectionParameters): Promise<HandOverCollectionReturnType> {
  const { db, chain } = deps;
  const collection = toStoredAddress(parameters.collection);
  const platformAccount = chain.walletClient.account as LocalAccount;
  const platform = toStoredAddress(platformAccount.address);
  const result = (fields: Partial<HandOverCollectionReturnType> & Pick<HandOverCollectionReturnType, "state">): HandOverCollectionReturnType => ({
    collection,
    admin: null,
    operatingKey: null,
    steps: [],
    openVouchers: [],
    voidedVouchers: 0,
    ...fields,
  });

  const { rows } = await db.query<{ issuer_id: string; admin_address: Address | null; operating_address: Address | null; issuer_address: Address | null; issuer_operating: Address | null }>(
    `SELECT c.issuer_id, c.admin_address, c.operating_address, i.address AS issuer_address, i.operating_address AS issuer_operating
     FROM collections c JOIN issuers i ON i.issuer_id = c.issuer_id
     WHERE c.chain_id = $1 AND c.address = $2 AND c.status = 'deployed'`,
    [BigInt(chain.chainId), collection],
  );
  const row = rows[0];
  if (!row || (row.admin_address !== null && row.operating_address !== null)) return result({ state: "refused", reason: "not-a-platform-collection" });
  const admin = row.issuer_address;
  const operatingKey = row.issuer_operating;
  if (!admin || !operatingKey) return result({ state: "refused", reason: "issuer-without-keys" });

  const { rows: openJobs } = await db.query<{ count: string }>(
    "SELECT count(*)::text AS count FROM mint_jobs WHERE chain_id = $1 AND collection_address = $2 AND state IN ('queued', 'sending')",
    [BigInt(chain.chainId), collection],
  );
  if (Number(openJobs[0]!.count) > 0) return result({ state: "refused", reason: "open-mint-jobs", admin, operatingKey });

  const latest = await chain.publicClient.getBlock({ blockTag: "latest" });
  const openVouchers = await findOpenPlatformVouchers({ db }, { chainId: chain.chainId, collection, platform, validAt: latest.timestamp });
  if (openVouchers.length > 0 && !parameters.acceptOpenVouchersVoid) {
    return result({ state: "refused", reason: "open-vouchers", admin, operatingKey, openVouchers });
  }

  const hasRole = (role: Hex, account: Address) =>
    chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });
  const plan: Array<{ name: HandOverStepName; done: () => Promise<boolean>; functionName: "grantRole" | "revokeRole" | "renounceRole"; args: readonly [Hex, Address] }> = [
    { name: "grant-admin-to-issuer", done: () => hasRole(DEFAULT_ADMIN_ROLE, admin), functionName: "grantRole", args: [DEFAULT_ADMIN_ROLE, admin] },
    { name: "revoke-issuing-from-platform", done: async () => !(await hasRole(ISSUER_ROLE, platform)), functionName: "revokeRole", args: [ISSUER_ROLE, platform] },
    { name: "grant-issuing-to-operating-key", done: () => hasRole(ISSUER_ROLE, operatingKey), functionName: "grantRole", args: [ISSUER_ROLE, operatingKey] },
    { name: "renounce-admin-of-platform", done: async () => !(await hasRole(DEFAULT_ADMIN_ROLE, platform)), functionName: "renounceRole", args: [DEFAULT_ADMIN_ROLE, platform] },
  ];
  const signer = { issuerId: row.issuer_id, account: platformAccount, wallet: chain.walletClient, writeLock: deps.writeLocks(platform), isPlatformKey: true };
  const steps: HandOverStep[] = [];
  for (const step of plan) {
    let taken: HandOverStep;
    if (await step.done()) taken = { name: step.name, state: "skipped" };
    else if (parameters.dryRun) taken = { name: step.name, state: "planned" };
    else {
      const { txHash } = await sendCollectionTransactionAs({ chain }, signer, { collection, functionName: step.functionName, args: step.args });
      taken = { name: step.name, state: "done", txHash };
    }
    steps.push(taken);
    parameters.onStep?.(taken);
  }
  if (parameters.dryRun) return result({ state: "planned", admin, operatingKey, steps, openVouchers });

  const voidedVouchers = await db.transaction(async (tx) => {
    await tx.query("UPDATE collections SET admin_address = $3, operating_address = $4 WHERE chain_id = $1 AND address = $2", [
      BigInt(chain.chainId),
      collection,
      admin,
      operatingKey,
    ]);
    // Every unredeemed voucher of the platform's key, open or expired: none can be redeemed any more.
    const voided = await tx.query(
      `UPDATE issued_vouchers v SET voided_at = now()
       WHERE v.chain_id = $1 AND v.collection_address = $2 AND (v.signer IS NULL OR v.signer = $3) AND v.voided_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM indexer_transfers t
                         WHERE t.chain_id = v.chain_id AND t.collection = v.collection_address AND t.voucher_nonce = v.nonce)
       RETURNING v.nonce`,
      [BigInt(chain.chainId), collection, platform],
    );
    return voided.rows.length;
  });
  return result({ state: "handed-over", admin, operatingKey, steps, openVouchers, voidedVouchers });
}
