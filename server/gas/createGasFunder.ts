import type { Address, Hex } from "viem";
import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";
import type { GasFundingSettings } from "../config/gasFundingSettings.js";
import type { Database } from "../db/Database.js";

import { InsufficientFundsError, NonceTooLowError, TransactionReceiptNotFoundError, keccak256 } from "viem";

import { chargeGasBudget } from "../chain/fees/chargeGasBudget.js";
import { maxFeePerGasOf } from "../chain/fees/feePolicy.js";
import { quoteFees } from "../chain/fees/quoteFees.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { waitForReceipt } from "../chain/waitForReceipt.js";
import { VermilionError } from "../errors/VermilionError.js";

export interface GasFunderDeps {
  db: Database;
  /** Its `walletClient` is the funding key: the platform's own signer. */
  chain: ChainClients;
  /** The funding key's write lock (its nonce is shared with the platform's other writes). */
  writeLock: WriteLock;
  logger: Logger;
  /** Told of every top-up sent and every one refused by the budget (metrics). */
  onTopUp?: (issuerId: string, amountWei: bigint) => void;
  onBudgetRefused?: (issuerId: string) => void;
}

export interface EnsureFundedParameters {
  issuerId: string;
  /** One of the issuer's platform-held keys (operating or custodial admin). */
  address: Address;
  /** What the key is about to spend at most (gas limit × max fee per gas). */
  neededWei: bigint;
}

export interface GasFunder {
  /**
   * Makes sure `address` holds at least `neededWei`, topping it up from the funding key within the
   * issuer's budget. Throws ISSUER_GAS_BUDGET_EXCEEDED (retryable once the window moves on) or
   * GAS_FUNDING_EXHAUSTED (the funding key itself is empty).
   */
  ensureFunded(parameters: EnsureFundedParameters): Promise<void>;
}

const RECEIPT_TIMEOUT_MS = 120_000;

/**
 * The platform pays issuers' gas by topping up their keys (not by relaying: the keys stay ordinary
 * senders, so a mint costs what it cost before and any wallet or explorer understands the transactions).
 * Each top-up is signed and stored before it is broadcast, under the funding key's write lock, so a
 * crash between the two is settled, not repeated, by the next top-up.
 */
export function createGasFunder(deps: GasFunderDeps, settings: GasFundingSettings): GasFunder {
  const { db, chain, writeLock, logger } = deps;
  const chainId = BigInt(chain.chainId);
  const funder = chain.walletClient.account.address;

  const dropped = (txHash: Hex) => () => logger.warn({ txHash }, "the node no longer knows a gas top-up; re-broadcasting its signed bytes");

  const settleOpenTopUps = async (): Promise<void> => {
    const { rows } = await db.query<{ tx_hash: Hex; raw_transaction: Hex }>(
      "SELECT tx_hash, raw_transaction FROM gas_top_ups WHERE chain_id = $1 AND state = 'signed' ORDER BY created_at",
      [chainId],
    );
    for (const row of rows) {
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: row.tx_hash }).catch((error: unknown) => {
        if (error instanceof TransactionReceiptNotFoundError) return undefined;
        throw error;
      });
      if (!receipt) {
        try {
          await chain.publicClient.sendRawTransaction({ serializedTransaction: row.raw_transaction });
        } catch (error) {
          // Its nonce went to another of the funding key's transactions: it can never be mined.
          if (error instanceof NonceTooLowError || (error as { walk?: (fn: (e: unknown) => boolean) => unknown }).walk?.((e) => e instanceof NonceTooLowError)) {
            await db.query("UPDATE gas_top_ups SET state = 'dropped' WHERE tx_hash = $1", [row.tx_hash]);
            continue;
          }
          // "already known" and the like: it is in the mempool; wait for it below.
        }
      }
      await waitForReceipt(chain, { hash: row.tx_hash, rawTransaction: row.raw_transaction, timeoutMs: RECEIPT_TIMEOUT_MS, onRebroadcast: dropped(row.tx_hash) });
      await db.query("UPDATE gas_top_ups SET state = 'mined' WHERE tx_hash = $1", [row.tx_hash]);
    }
  };

  const spentWithinWindow = async (issuerId: string): Promise<bigint> => {
    const { rows } = await db.query<{ spent: string | null }>(
      `SELECT sum(amount_wei)::text AS spent FROM gas_top_ups
       WHERE chain_id = $1 AND issuer_id = $2 AND state <> 'dropped' AND created_at > now() - make_interval(secs => $3)`,
      [chainId, issuerId, settings.budgetWindowMs / 1000],
    );
    return BigInt(rows[0]?.spent ?? "0");
  };

  const isInsufficientFunds = (error: unknown): boolean =>
    error instanceof InsufficientFundsError ||
    Boolean((error as { walk?: (fn: (e: unknown) => boolean) => unknown }).walk?.((e) => e instanceof InsufficientFundsError));

  const topUp = async (parameters: EnsureFundedParameters, amountWei: bigint): Promise<void> => {
    const recipient = toStoredAddress(parameters.address);
    let raw: Hex;
    try {
      // Priced like every transaction of the platform's (FEE_CAP_BELOW_MARKET is passed on).
      const fees = await quoteFees(chain, chain.fees.policy);
      const request = await chain.walletClient.prepareTransactionRequest({
        account: chain.walletClient.account,
        chain: chain.walletClient.chain,
        to: recipient,
        value: amountWei,
        ...fees,
      } as never);
      // Refused before anything is stored: a top-up the funding key cannot pay would only wait in the table.
      const feeWei = (request as { gas: bigint }).gas * maxFeePerGasOf(fees);
      if ((await chain.publicClient.getBalance({ address: funder })) < amountWei + feeWei) {
        throw new VermilionError("GAS_FUNDING_EXHAUSTED", { funder });
      }
      // The top-up's own gas counts against the hourly budget (the amount it moves is not spending: it stays the platform's to spend).
      await chargeGasBudget(chain.fees, { amountWei: feeWei });
      raw = await chain.walletClient.signTransaction(request as never);
    } catch (cause) {
      if (cause instanceof VermilionError) throw cause;
      if (isInsufficientFunds(cause)) throw new VermilionError("GAS_FUNDING_EXHAUSTED", { funder }, { cause });
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    }
    const txHash = keccak256(raw);
    await db.query(
      `INSERT INTO gas_top_ups (tx_hash, chain_id, issuer_id, recipient, amount_wei, raw_transaction, state)
       VALUES ($1, $2, $3, $4, $5, $6, 'signed')`,
      [txHash, chainId, parameters.issuerId, recipient, amountWei.toString(), raw],
    );
    try {
      await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
    } catch (cause) {
      // The node refused it outright: it will never be mined, so it is not spending.
      if (isInsufficientFunds(cause)) {
        await db.query("UPDATE gas_top_ups SET state = 'dropped' WHERE tx_hash = $1", [txHash]);
        throw new VermilionError("GAS_FUNDING_EXHAUSTED", { funder }, { cause });
      }
      // Otherwise it may have reached the node: the next top-up settles it (rebroadcast, or dropped if its nonce was used).
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    }
    try {
      // A top-up the node drops is sent again from its stored bytes (it was never re-signed).
      const receipt = await waitForReceipt(chain, { hash: txHash, rawTransaction: raw, timeoutMs: RECEIPT_TIMEOUT_MS, onRebroadcast: dropped(txHash) });
      if (receipt.status !== "success") throw new Error(`top-up ${txHash} reverted`);
    } catch (cause) {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    }
    await db.query("UPDATE gas_top_ups SET state = 'mined' WHERE tx_hash = $1", [txHash]);
    deps.onTopUp?.(parameters.issuerId, amountWei);
    logger.info({ issuerId: parameters.issuerId, recipient, amountWei: amountWei.toString(), txHash }, "topped up an issuer key");
  };

  return {
    async ensureFunded(parameters) {
      if (parameters.neededWei <= 0n) return;
      const balance = async () =>
        chain.publicClient.getBalance({ address: parameters.address }).catch((cause: unknown) => {
          throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
        });
      if ((await balance()) >= parameters.neededWei) return;
      await writeLock(async () => {
        await settleOpenTopUps().catch((cause: unknown) => {
          throw cause instanceof VermilionError ? cause : new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
        });
        // Another sender of the same issuer may have topped the key up while this one waited.
        const held = await balance();
        if (held >= parameters.neededWei) return;
        const shortWei = parameters.neededWei - held;
        const amountWei = shortWei > settings.topUpWei ? shortWei : settings.topUpWei;
        const spentWei = await spentWithinWindow(parameters.issuerId);
        if (spentWei + amountWei > settings.budgetWei) {
          deps.onBudgetRefused?.(parameters.issuerId);
          throw new VermilionError("ISSUER_GAS_BUDGET_EXCEEDED", {
            issuerId: parameters.issuerId,
            budgetWei: settings.budgetWei.toString(),
            spentWei: spentWei.toString(),
            windowHours: String(settings.budgetWindowMs / 3_600_000),
          });
        }
        await topUp(parameters, amountWei);
      });
    },
  };
}
