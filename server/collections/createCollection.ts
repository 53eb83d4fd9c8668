import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";
import type { Database, Queryable } from "../db/Database.js";
import type { CollectionView } from "../views/collectionView.js";
import type { CollectionRow } from "./collectionView.js";

import { randomUUID } from "node:crypto";

import { keccak256, parseEventLogs, toHex } from "viem";

import { vermilionFactoryAbi } from "../chain/abis/VermilionFactory.js";
import { payFeesForContractCall } from "../chain/fees/payFees.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { waitForReceipt } from "../chain/waitForReceipt.js";
import { VermilionError, isVermilionError } from "../errors/VermilionError.js";
import { COLLECTION_COLUMNS, readCollectionView } from "./collectionView.js";

export interface CollectionDependencies {
  db: Database;
  chain: ChainClients;
  factoryAddress: Address;
  writeLock: WriteLock;
}

export interface CreateCollectionParameters {
  issuerId: string;
  name: string;
  symbol: string;
  contractURI: string;
}

export type CreateCollectionReturnType = CollectionView;

async function hasCode(chain: ChainClients, address: Address): Promise<boolean> {
  const code = await chain.publicClient.getCode({ address }).catch((cause: unknown) => {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
  });
  return code !== undefined && code !== "0x";
}

/**
 * Sends the factory transaction for a pending collection row, or recognises that it was already
 * mined (code at the predicted address), and marks the row deployed. The platform's key only calls
 * the factory (it holds DEPLOYER_ROLE there and pays the gas): the collection's admin and issuing
 * roles go to the row's issuer addresses; only a row made before issuer accounts (NULL) names the
 * platform's key.
 */
export async function completeCollection(
  deps: CollectionDependencies,
  row: CollectionRow,
  sent?: (txHash: Hex) => void,
): Promise<CollectionView> {
  const { db, chain, factoryAddress, writeLock } = deps;
  const address = row.address as Address;
  let txHash: Hex | null = null;
  let blockNumber: bigint | null = null;
  if (!(await hasCode(chain, address))) {
    try {
      const receipt = await writeLock(async () => {
        // Another instance may have deployed it while this one waited for the lock (its creator
        // completing the row while a restarting instance reconciles it): then there is nothing to send.
        if (await hasCode(chain, address)) return undefined;
        const call = {
          account: chain.walletClient.account,
          address: factoryAddress,
          abi: vermilionFactoryAbi,
          functionName: "createCollection",
          args: [
            {
              name: row.name,
              symbol: row.symbol,
              admin: (row.admin_address ?? chain.walletClient.account.address) as Address,
              issuer: (row.operating_address ?? chain.walletClient.account.address) as Address,
              contractURI: row.contract_uri,
            },
            row.salt as Hex,
          ],
        } as const;
        const hash = await chain.walletClient.writeContract({ ...call, ...(await payFeesForContractCall({ chain }, call)) } as never);
        sent?.(hash);
        // Dropped by the node: CHAIN_UNAVAILABLE below; the pending row is sent again (same salt, same address) on the next try.
        return waitForReceipt(chain, { hash });
      });
      if (receipt) {
        const [created] = parseEventLogs({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", logs: receipt.logs });
        if (receipt.status !== "success" || !created || toStoredAddress(created.args.collection) !== address) {
          throw new Error(`factory transaction ${receipt.transactionHash} did not create ${address}`);
        }
        txHash = receipt.transactionHash;
        blockNumber = receipt.blockNumber;
      }
    } catch (cause) {
      // The fee policy's refusals (FEE_CAP_BELOW_MARKET, GAS_BUDGET_HOUR_SPENT) say what to wait for: passed on.
      if (cause instanceof VermilionError) throw cause;
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    }
  }
  await db.query(
    `UPDATE collections SET status = 'deployed', tx_hash = coalesce($2, tx_hash), block_number = coalesce($3, block_number)
     WHERE collection_id = $1`,
    [row.collection_id, txHash, blockNumber],
  );
  return readCollectionView(db, row.collection_id);
}

/**
 * Who a new collection of the issuer names: its admin is the issuer's address (its custodial admin key,
 * or its own wallet), or the wallet of a custody transfer under way (the issuer signed that it takes
 * custody); its issuing role goes to the issuer's operating key. Reads the issuer row FOR SHARE, so a
 * custody transfer is recorded either before (and this collection names the wallet) or after (and the
 * transfer finds this collection to move).
 */
async function rolesOfNewCollection(tx: Queryable, issuerId: string): Promise<{ admin: Address; operating: Address }> {
  const { rows } = await tx.query<{ address: Address | null; operating_address: Address | null }>(
    "SELECT address, operating_address FROM issuers WHERE issuer_id = $1 FOR SHARE",
    [issuerId],
  );
  const issuer = rows[0];
  if (!issuer) throw new VermilionError("NOT_FOUND", { resource: `issuer ${issuerId}` });
  // Filled in at start (fillIssuerAddresses) for issuers made before issuer accounts.
  if (!issuer.address || !issuer.operating_address) throw new Error(`issuer ${issuerId} has no addresses yet`);
  const pending = await tx.query<{ account: Address }>("SELECT account FROM custody_transfers WHERE issuer_id = $1 AND state = 'pending'", [
    issuerId,
  ]);
  return { admin: pending.rows[0]?.account ?? issuer.address, operating: issuer.operating_address };
}

/**
 * Creates an issuer's collection, its admin the issuer's address and its issuing role the issuer's
 * operating key: records the intent with the clone's predicted address first, then deploys it through
 * the factory. A crash in between is completed by `reconcilePendingCollections`.
 */
export async function createCollection(
  deps: CollectionDependencies,
  parameters: CreateCollectionParameters,
): Promise<CreateCollectionReturnType> {
  const { db, chain, factoryAddress } = deps;
  const collectionId = randomUUID();
  const salt = keccak256(toHex(`vermilion-collection:${collectionId}`));
  const address = await chain.publicClient
    .readContract({
      address: factoryAddress,
      abi: vermilionFactoryAbi,
      functionName: "predictCollectionAddress",
      args: [chain.walletClient.account.address, salt],
    })
    .catch((cause: unknown) => {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    });
  const row = await db.transaction(async (tx) => {
    const roles = await rolesOfNewCollection(tx, parameters.issuerId);
    const { rows } = await tx.query<CollectionRow>(
      `INSERT INTO collections (collection_id, chain_id, issuer_id, address, salt, name, symbol, contract_uri, status, admin_address, operating_address)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING ${COLLECTION_COLUMNS}`,
      [
        collectionId,
        BigInt(chain.chainId),
        parameters.issuerId,
        toStoredAddress(address),
        salt,
        parameters.name,
        parameters.symbol,
        parameters.contractURI,
        toStoredAddress(roles.admin),
        toStoredAddress(roles.operating),
      ],
    );
    return rows[0]!;
  });
  let broadcast = false;
  try {
    return await completeCollection(deps, row, () => {
      broadcast = true;
    });
  } catch (error) {
    // Never sent: forget the intent, so the rejected request leaves nothing behind. Sent but unconfirmed:
    // keep the pending row; `reconcilePendingCollections` finishes it (the address is deterministic).
    if (!broadcast) await db.query("DELETE FROM collections WHERE collection_id = $1 AND status = 'pending'", [collectionId]);
    throw error;
  }
}

/** Completes collections left pending by a crash; returns how many. */
export async function reconcilePendingCollections(deps: CollectionDependencies): Promise<number> {
  const { rows } = await deps.db.query<CollectionRow>(
    `SELECT ${COLLECTION_COLUMNS} FROM collections WHERE status = 'pending' AND chain_id = $1 ORDER BY created_at`,
    [BigInt(deps.chain.chainId)],
  );
  for (const row of rows) {
    try {
      await completeCollection(deps, row);
    } catch (error) {
      // The fee policy holds it back (market above the cap, hour's budget spent): the platform still
      // starts, and the row stays pending for the next start rather than stopping this one.
      if (isVermilionError(error, "FEE_CAP_BELOW_MARKET") || isVermilionError(error, "GAS_BUDGET_HOUR_SPENT")) continue;
      throw error;
    }
  }
  return rows.length;
}
