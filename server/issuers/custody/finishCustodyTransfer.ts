import type { Address, HDAccount } from "viem";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { WriteLocks } from "../../cluster/createWriteLock.js";
import type { Database } from "../../db/Database.js";
import type { GasFunder } from "../../gas/createGasFunder.js";
import type { IssuerKeyring } from "../accounts/createIssuerKeyring.js";

import { keccak256, toHex } from "viem";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { toChainError } from "../../chain/decodeContractError.js";
import { maxFeePerGasOf } from "../../chain/fees/feePolicy.js";
import { payFees } from "../../chain/fees/payFees.js";
import { waitForReceipt } from "../../chain/waitForReceipt.js";
import { VermilionError } from "../../errors/VermilionError.js";

export const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}` as const;
export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

/** The on-chain steps of moving one collection, in the order they are sent. */
export type CustodyStep = "grant-admin" | "revoke-operating" | "renounce-custodial-admin";

export interface CustodyDeps {
  db: Database;
  chain: ChainClients;
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
  gasFunder: GasFunder;
  /** Test hook: called after each step is sent and mined (a throw interrupts the transfer there). */
  onCustodyStep?: (event: { collection: Address; step: CustodyStep }) => void | Promise<void>;
}

/** A recorded custody transfer (table custody_transfers). */
export interface CustodyTransferRow {
  transfer_id: string;
  issuer_id: string;
  account: Address;
  keep_operating_key: boolean;
  signature: string;
  custodial_admin: Address;
  operating_address: Address;
  state: "pending" | "completed";
}

export const CUSTODY_TRANSFER_COLUMNS =
  "transfer_id, issuer_id, account, keep_operating_key, signature, custodial_admin, operating_address, state";

export interface FinishCustodyTransferReturnType {
  issuerId: string;
  address: Address;
  custody: "self";
  operatingAddress: Address;
  collections: Array<{ address: Address; state: "transferred" }>;
}

/** How long a transfer waits for a collection the issuer was creating when it was recorded. */
const PENDING_COLLECTION_WAIT_MS = 60_000;

/** A chain call whose failure is a VermilionError: a revert decoded (CONTRACT_REVERTED …), anything else CHAIN_UNAVAILABLE. */
function chainCall<T>(work: Promise<T>, collection?: Address): Promise<T> {
  return work.catch((cause: unknown) => {
    if (cause instanceof VermilionError) throw cause;
    throw collection ? toChainError(cause, { collection }) : new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
  });
}

/**
 * Sends one role change from the custodial admin key unless the chain says it is done: funded first
 * (the key starts empty), then under the key's write lock, where `done` is asked again (another
 * instance resuming the same transfer may have sent it meanwhile).
 */
async function sendStep(
  deps: CustodyDeps,
  parameters: {
    issuerId: string;
    admin: HDAccount;
    collection: Address;
    functionName: "grantRole" | "revokeRole" | "renounceRole";
    args: readonly [`0x${string}`, Address];
    done: () => Promise<boolean>;
  },
): Promise<boolean> {
  const { chain, gasFunder, writeLocks } = deps;
  const { admin, collection, functionName, args, done } = parameters;
  if (await done()) return false;
  const call = { address: collection, abi: vermilionCollectionAbi, functionName, args, account: admin } as const;
  // A revert here (the custodial key no longer holds the admin role) is final: CONTRACT_REVERTED.
  const gas = await chainCall(chain.publicClient.estimateContractGas(call), collection);
  // FEE_CAP_BELOW_MARKET and GAS_BUDGET_HOUR_SPENT are passed on as they are: the transfer resumes later.
  const fees = await chainCall(payFees({ chain }, { gas }));
  await gasFunder.ensureFunded({ issuerId: parameters.issuerId, address: admin.address, neededWei: gas * maxFeePerGasOf(fees) });
  return writeLocks(admin.address)(async () => {
    if (await done()) return false;
    const hash = await chainCall(
      chain.walletFor(admin).writeContract({ ...call, ...fees } as never),
      collection,
    );
    // Dropped by the node: CHAIN_TRANSACTION_DROPPED; resuming the transfer asks `done` and sends it again.
    const receipt = await chainCall(waitForReceipt(chain, { hash }));
    if (receipt.status !== "success") throw new Error(`${functionName} on ${collection} reverted in ${hash}`);
    return true;
  });
}

/** Waits until a collection the issuer was creating is deployed (or its creation given up). */
async function waitForDeployment(deps: CustodyDeps, collectionId: string): Promise<"deployed" | "gone"> {
  const deadline = Date.now() + PENDING_COLLECTION_WAIT_MS;
  for (;;) {
    const { rows } = await deps.db.query<{ status: string }>("SELECT status FROM collections WHERE collection_id = $1", [collectionId]);
    if (!rows[0]) return "gone";
    if (rows[0].status === "deployed") return "deployed";
    if (Date.now() > deadline) throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: new Error(`collection ${collectionId} is still being created`) });
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Finishes a recorded custody transfer: on every collection of the issuer whose admin is still the
 * custodial admin key, that key (1) grants the admin role to the issuer's wallet, (2) unless the issuer
 * keeps it, revokes the operating key's issuing role, (3) renounces its own admin role; each step is
 * skipped when `hasRole` says it is done, so a retry or a restart after any interruption finishes
 * the transfer without repeating a step. Then the issuer is custody 'self' at the wallet's address.
 */
export async function finishCustodyTransfer(deps: CustodyDeps, transfer: CustodyTransferRow): Promise<FinishCustodyTransferReturnType> {
  const { db, chain, issuerKeyring } = deps;
  const chainId = BigInt(chain.chainId);
  const { rows: issuers } = await db.query<{ key_index: number }>("SELECT key_index FROM issuers WHERE issuer_id = $1", [transfer.issuer_id]);
  const admin = issuerKeyring.accountsOf(issuers[0]!.key_index).custodialAdmin;
  if (admin.address !== transfer.custodial_admin) {
    throw new Error(`custody transfer ${transfer.transfer_id}: ISSUER_KEYS_MNEMONIC does not derive its custodial admin key ${transfer.custodial_admin}`);
  }
  const { rows: collections } = await db.query<{ collection_id: string; address: Address; status: string }>(
    `SELECT collection_id, address, status FROM collections
     WHERE issuer_id = $1 AND chain_id = $2 AND admin_address = $3 ORDER BY created_at, collection_id`,
    [transfer.issuer_id, chainId, transfer.custodial_admin],
  );
  for (const collection of collections) {
    if (collection.status === "pending" && (await waitForDeployment(deps, collection.collection_id)) === "gone") continue;
    const hasRole = (role: `0x${string}`, account: Address) => () =>
      chainCall(chain.publicClient.readContract({ address: collection.address, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] }));
    const step = async (name: CustodyStep, functionName: "grantRole" | "revokeRole" | "renounceRole", args: readonly [`0x${string}`, Address], done: () => Promise<boolean>) => {
      const sent = await sendStep(deps, { issuerId: transfer.issuer_id, admin, collection: collection.address, functionName, args, done });
      if (sent) await deps.onCustodyStep?.({ collection: collection.address, step: name });
    };
    await step("grant-admin", "grantRole", [DEFAULT_ADMIN_ROLE, transfer.account], hasRole(DEFAULT_ADMIN_ROLE, transfer.account));
    if (!transfer.keep_operating_key) {
      const operatingHolds = hasRole(ISSUER_ROLE, transfer.operating_address);
      await step("revoke-operating", "revokeRole", [ISSUER_ROLE, transfer.operating_address], async () => !(await operatingHolds()));
    }
    const adminHolds = hasRole(DEFAULT_ADMIN_ROLE, admin.address);
    await step("renounce-custodial-admin", "renounceRole", [DEFAULT_ADMIN_ROLE, admin.address], async () => !(await adminHolds()));
    await db.query("UPDATE collections SET admin_address = $2 WHERE collection_id = $1", [collection.collection_id, transfer.account]);
  }
  await db.transaction(async (tx) => {
    await tx.query("UPDATE issuers SET custody = 'self', address = $2 WHERE issuer_id = $1", [transfer.issuer_id, transfer.account]);
    await tx.query("UPDATE custody_transfers SET state = 'completed', completed_at = coalesce(completed_at, now()) WHERE transfer_id = $1", [
      transfer.transfer_id,
    ]);
  });
  return describeCompletedTransfer(deps, transfer);
}

/** The answer to a completed transfer: the issuer at its wallet, and every collection that wallet now administers. */
export async function describeCompletedTransfer(
  deps: Pick<CustodyDeps, "db" | "chain">,
  transfer: CustodyTransferRow,
): Promise<FinishCustodyTransferReturnType> {
  const { rows } = await deps.db.query<{ address: Address }>(
    `SELECT address FROM collections WHERE issuer_id = $1 AND chain_id = $2 AND admin_address = $3 AND status = 'deployed'
     ORDER BY created_at, collection_id`,
    [transfer.issuer_id, BigInt(deps.chain.chainId), transfer.account],
  );
  return {
    issuerId: transfer.issuer_id,
    address: transfer.account,
    custody: "self",
    operatingAddress: transfer.operating_address,
    collections: rows.map((row) => ({ address: row.address, state: "transferred" as const })),
  };
}
