import type { Address, Hex, TransactionReceipt } from "viem";
import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../chain/createWriteLock.js";
import type { Lease } from "../cluster/createLeaseKeeper.js";
import type { Database } from "../db/Database.js";

import { encodeFunctionData, keccak256, parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { findContractRevert, toChainError } from "../chain/decodeContractError.js";
import { VermilionError } from "../errors/VermilionError.js";

/** Named points in the send path where tests may crash the process (`kill -9`) to prove recovery. */
export type MintFaultPoint = "before-sign" | "after-sign" | "after-broadcast" | "after-receipt";

export interface MintSenderDependencies {
  db: Database;
  chain: ChainClients;
  writeLock: WriteLock;
  logger: Logger;
  /** How long a broadcast transaction may stay unmined before it is replaced with a higher fee. */
  replaceAfterMs?: number;
  /**
   * How long a used nonce must go without a receipt for any of the chunk's transactions before the
   * sender concludes another signer took it and sends the chunk again (default 30 s).
   */
  foreignNonceAfterMs?: number;
  /** How often the idle sender looks for new jobs (it is also woken on submission). */
  idlePollMs?: number;
  /** Test hook: called at each fault point. */
  onFaultPoint?: (point: MintFaultPoint) => void;
  /**
   * In a cluster, the lease that makes this the one sender of the key: nothing is signed unless it is
   * held (and `db` should fence every write with it, see `fencedDatabase`).
   */
  lease?: Pick<Lease, "name" | "isHeld" | "epoch">;
}

export interface MintSender {
  start(): void;
  /** Wakes the loop now (a job was just accepted). */
  wake(): void;
  /** Finishes the current step and stops; in-flight work resumes at the next start. */
  stop(): Promise<void>;
}

interface ChunkRow {
  job_id: string;
  chunk_index: number;
  collection_address: Address;
  edition_id: bigint;
  recipient: Address | null;
  quantity: number;
  recipients: Address[] | null;
  state: "pending" | "sent";
}

interface AttemptRow {
  tx_hash: Hex;
  nonce: bigint;
  raw_transaction: Hex;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  state: "signed" | "broadcast";
}

const FEE_BUMP_PERCENT = 125n;
/** First wait before looking for a chunk's receipt again; it doubles up to the client's polling interval. */
const MIN_RECEIPT_POLL_MS = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The one sender of mint transactions for the platform's signing key. It works through accepted
 * jobs chunk by chunk: signs with an explicit nonce, stores the signed bytes, broadcasts, waits for
 * the receipt (replacing a stuck transaction with the same nonce and a higher fee), then records
 * the tokens. Transient RPC faults are retried with backoff without giving up the nonce. After a
 * crash, `start()` first settles the chunk that was in flight from what the database stored and what
 * the chain says, so nothing is sent twice and no nonce is skipped.
 */
export function createMintSender(dependencies: MintSenderDependencies): MintSender {
  const { db, chain, writeLock, logger } = dependencies;
  const sender = chain.walletClient.account.address;
  const chainId = BigInt(chain.chainId);
  const replaceAfterMs = dependencies.replaceAfterMs ?? 60_000;
  const idlePollMs = dependencies.idlePollMs ?? 1_000;
  const foreignNonceAfterMs = dependencies.foreignNonceAfterMs ?? 30_000;
  let running = false;
  /** Jobs waiting on a condition that may pass (a paused collection): skipped until the time given. */
  const deferredUntil = new Map<string, number>();
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const fault = (point: MintFaultPoint) => dependencies.onFaultPoint?.(point);

  /** Retries transient RPC failures with backoff until they succeed or the sender stops. */
  async function retrying<T>(what: string, work: () => Promise<T>): Promise<T> {
    let delayMs = 200;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (findContractRevert(error) || !running) throw error;
        logger.warn({ err: error, what, retryInMs: delayMs }, "chain call failed; retrying");
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    }
  }

  /** The contract call of a chunk, for viem's contract actions (which decode the contract's errors). */
  function contractCallOf(chunk: ChunkRow) {
    return chunk.recipients
      ? ({
          address: chunk.collection_address,
          abi: vermilionCollectionAbi,
          functionName: "airdrop",
          args: [chunk.edition_id, chunk.recipients],
        } as const)
      : ({
          address: chunk.collection_address,
          abi: vermilionCollectionAbi,
          functionName: "mint",
          args: [chunk.edition_id, chunk.recipient!, BigInt(chunk.quantity)],
        } as const);
  }

  function callDataOf(chunk: ChunkRow): Hex {
    return chunk.recipients
      ? encodeFunctionData({ abi: vermilionCollectionAbi, functionName: "airdrop", args: [chunk.edition_id, chunk.recipients] })
      : encodeFunctionData({
          abi: vermilionCollectionAbi,
          functionName: "mint",
          args: [chunk.edition_id, chunk.recipient!, BigInt(chunk.quantity)],
        });
  }

  async function failJob(chunk: ChunkRow, error: VermilionError): Promise<void> {
    logger.warn({ jobId: chunk.job_id, code: error.code }, "mint job failed");
    await db.transaction(async (tx) => {
      await tx.query("UPDATE mint_chunks SET state = 'failed' WHERE job_id = $1 AND state IN ('pending', 'sent')", [chunk.job_id]);
      await tx.query(
        "UPDATE mint_jobs SET state = 'failed', error_code = $2, error_details = $3, updated_at = now() WHERE job_id = $1",
        [chunk.job_id, error.code, JSON.stringify(error.details)],
      );
    });
  }

  async function recordReceipt(chunk: ChunkRow, receipt: TransactionReceipt): Promise<void> {
    if (receipt.status !== "success") {
      // Replay the call at the block before to learn why it reverted.
      let reason: VermilionError = new VermilionError("CONTRACT_REVERTED", { reason: "reverted without a reason" });
      try {
        await chain.publicClient.simulateContract({
          account: sender,
          ...contractCallOf(chunk),
          blockNumber: receipt.blockNumber - 1n,
        } as never);
      } catch (error) {
        reason = toChainError(error, { collection: chunk.collection_address, editionId: chunk.edition_id });
      }
      await db.query("UPDATE chain_transactions SET state = 'mined' WHERE tx_hash = $1", [receipt.transactionHash]);
      await failJob(chunk, reason);
      return;
    }
    const transfers = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "Transfer", logs: receipt.logs });
    const firstTokenId = transfers.reduce<bigint | undefined>(
      (lowest, log) => (lowest === undefined || log.args.tokenId < lowest ? log.args.tokenId : lowest),
      undefined,
    );
    await db.transaction(async (tx) => {
      await tx.query("UPDATE chain_transactions SET state = 'mined' WHERE tx_hash = $1", [receipt.transactionHash]);
      await tx.query(
        "UPDATE chain_transactions SET state = 'replaced' WHERE job_id = $1 AND chunk_index = $2 AND tx_hash <> $3 AND state IN ('signed', 'broadcast')",
        [chunk.job_id, chunk.chunk_index, receipt.transactionHash],
      );
      await tx.query(
        "UPDATE mint_chunks SET state = 'mined', tx_hash = $3, first_token_id = $4 WHERE job_id = $1 AND chunk_index = $2",
        [chunk.job_id, chunk.chunk_index, receipt.transactionHash, firstTokenId?.toString() ?? null],
      );
      await tx.query(
        `UPDATE mint_jobs SET updated_at = now(),
           state = CASE WHEN NOT EXISTS (SELECT 1 FROM mint_chunks WHERE job_id = $1 AND state <> 'mined') THEN 'completed' ELSE 'sending' END
         WHERE job_id = $1`,
        [chunk.job_id],
      );
    });
    fault("after-receipt");
  }

  async function attemptsOf(chunk: ChunkRow): Promise<AttemptRow[]> {
    const { rows } = await db.query<AttemptRow>(
      `SELECT tx_hash, nonce, raw_transaction, max_fee_per_gas::text, max_priority_fee_per_gas::text, state
       FROM chain_transactions WHERE job_id = $1 AND chunk_index = $2 AND state IN ('signed', 'broadcast') ORDER BY created_at`,
      [chunk.job_id, chunk.chunk_index],
    );
    return rows;
  }

  async function findReceipt(attempts: AttemptRow[]): Promise<TransactionReceipt | undefined> {
    for (const attempt of attempts) {
      const receipt = await retrying("getTransactionReceipt", () =>
        chain.publicClient.getTransactionReceipt({ hash: attempt.tx_hash }).catch((error: unknown) => {
          if (error instanceof Error && error.name === "TransactionReceiptNotFoundError") return undefined;
          throw error;
        }),
      );
      if (receipt) return receipt;
    }
    return undefined;
  }

  async function broadcast(raw: Hex): Promise<void> {
    await retrying("sendRawTransaction", async () => {
      try {
        await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
      } catch (error) {
        // The node already has it (a rebroadcast after a crash): that is the outcome we wanted.
        if (error instanceof Error && /already known|already imported|nonce too low/i.test(error.message)) return;
        throw error;
      }
    });
  }

  async function signAndStore(
    chunk: ChunkRow,
    nonce: bigint,
    gas: bigint,
    maxFeePerGas: bigint,
    maxPriorityFeePerGas: bigint,
  ): Promise<Hex> {
    // A sender that lost its lease stops before signing: the new holder may be choosing this nonce.
    if (dependencies.lease && !dependencies.lease.isHeld()) {
      throw new VermilionError("LEASE_LOST", { lease: dependencies.lease.name, epoch: String(dependencies.lease.epoch() ?? "none") });
    }
    const raw = await chain.walletClient.signTransaction({
      account: chain.walletClient.account,
      chain: chain.walletClient.chain,
      to: chunk.collection_address,
      data: callDataOf(chunk),
      nonce: Number(nonce),
      gas,
      maxFeePerGas,
      maxPriorityFeePerGas,
      type: "eip1559",
    });
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO chain_transactions (tx_hash, chain_id, sender, nonce, job_id, chunk_index, raw_transaction, max_fee_per_gas, max_priority_fee_per_gas, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'signed')`,
        [keccak256(raw), chainId, sender, nonce, chunk.job_id, chunk.chunk_index, raw, maxFeePerGas.toString(), maxPriorityFeePerGas.toString()],
      );
      await tx.query("UPDATE mint_chunks SET state = 'sent' WHERE job_id = $1 AND chunk_index = $2", [chunk.job_id, chunk.chunk_index]);
      await tx.query("UPDATE mint_jobs SET state = 'sending', updated_at = now() WHERE job_id = $1 AND state = 'queued'", [chunk.job_id]);
    });
    fault("after-sign");
    return raw;
  }

  /** Waits for any attempt of `chunk` to be mined, replacing the transaction when it is stuck. */
  async function awaitChunk(chunk: ChunkRow): Promise<void> {
    let lastBroadcastAt = Date.now();
    /** When the chunk's nonce was first seen used without a receipt for any of its attempts. */
    let nonceUsedSince: number | undefined;
    // The first looks come soon and then slow down to the client's polling interval: a local node mines
    // within milliseconds, but ever later as its state grows (Anvil's receipts of the mint benchmark's
    // third round came after the first look almost every time), and a fixed wait of the full interval
    // then added that whole interval to every mint.
    const maxPollMs = Math.min(500, chain.publicClient.pollingInterval);
    let pollMs = Math.min(MIN_RECEIPT_POLL_MS, maxPollMs);
    const nextPoll = () => {
      const waitMs = pollMs;
      pollMs = Math.min(pollMs * 2, maxPollMs);
      return sleep(waitMs);
    };
    for (;;) {
      const attempts = await attemptsOf(chunk);
      if (attempts.length === 0) return;
      const receipt = await findReceipt(attempts);
      if (receipt) return recordReceipt(chunk, receipt);
      const latest = attempts[attempts.length - 1]!;
      const confirmedNonce = BigInt(
        await retrying("getTransactionCount", () => chain.publicClient.getTransactionCount({ address: sender, blockTag: "latest" })),
      );
      if (confirmedNonce > latest.nonce) {
        // The nonce is used. Our transaction may have been mined between the receipt check above and
        // the nonce read, and a node may show the new nonce before it serves the receipt (Anvil under
        // load does; so can a load-balanced provider): keep looking for a while before concluding
        // that the nonce went to someone else.
        const lateReceipt = await findReceipt(attempts);
        if (lateReceipt) return recordReceipt(chunk, lateReceipt);
        nonceUsedSince ??= Date.now();
        if (Date.now() - nonceUsedSince < foreignNonceAfterMs) {
          if (!running) return;
          await nextPoll();
          continue;
        }
        // Used by none of our attempts: something else signed with this key. The chunk did not
        // happen; send it again with a new nonce.
        logger.error({ jobId: chunk.job_id, nonce: latest.nonce.toString() }, "nonce consumed by a foreign transaction");
        await db.transaction(async (tx) => {
          await tx.query(
            "UPDATE chain_transactions SET state = 'dropped' WHERE job_id = $1 AND chunk_index = $2 AND state IN ('signed', 'broadcast')",
            [chunk.job_id, chunk.chunk_index],
          );
          await tx.query("UPDATE mint_chunks SET state = 'pending' WHERE job_id = $1 AND chunk_index = $2", [chunk.job_id, chunk.chunk_index]);
        });
        return;
      }
      if (latest.state === "signed") {
        await broadcast(latest.raw_transaction);
        await db.query("UPDATE chain_transactions SET state = 'broadcast' WHERE tx_hash = $1", [latest.tx_hash]);
        lastBroadcastAt = Date.now();
        fault("after-broadcast");
        continue;
      }
      if (Date.now() - lastBroadcastAt > replaceAfterMs) {
        const maxFee = (BigInt(latest.max_fee_per_gas) * FEE_BUMP_PERCENT) / 100n;
        const priorityFee = (BigInt(latest.max_priority_fee_per_gas) * FEE_BUMP_PERCENT) / 100n;
        const gas = await retrying("estimateGas", () =>
          chain.publicClient.estimateContractGas({ account: sender, ...contractCallOf(chunk) } as never),
        ).catch(() => 1_000_000n);
        logger.warn({ jobId: chunk.job_id, nonce: latest.nonce.toString() }, "replacing a stuck transaction");
        await writeLock(async () => {
          await signAndStore(chunk, latest.nonce, gas, maxFee, priorityFee);
        });
        continue;
      }
      if (!running) return;
      await nextPoll();
    }
  }

  /** Signs and stores the chunk's first transaction under the write lock, with the next free nonce. */
  async function sendChunk(chunk: ChunkRow): Promise<void> {
    fault("before-sign");
    let gas: bigint;
    try {
      // Estimated through the ABI, so a revert (sold out, sealed, paused) is decoded and final, not retried.
      gas = await retrying("estimateGas", () =>
        chain.publicClient.estimateContractGas({ account: sender, ...contractCallOf(chunk) } as never),
      );
    } catch (error) {
      const chainError = toChainError(error, { collection: chunk.collection_address, editionId: chunk.edition_id });
      if (chainError.code === "COLLECTION_PAUSED") {
        // Wait for the issuer to unpause, without holding up other collections' jobs.
        logger.info({ jobId: chunk.job_id }, "collection paused; job deferred");
        deferredUntil.set(chunk.job_id, Date.now() + 2_000);
        return;
      }
      if (chainError.retryable) throw chainError;
      await failJob(chunk, chainError);
      return;
    }
    const fees = await retrying("estimateFeesPerGas", () => chain.publicClient.estimateFeesPerGas());
    await writeLock(async () => {
      const pendingNonce = BigInt(
        await retrying("getTransactionCount", () => chain.publicClient.getTransactionCount({ address: sender, blockTag: "pending" })),
      );
      const { rows } = await db.query<{ next: bigint | null }>(
        "SELECT (max(nonce) + 1)::int8 AS next FROM chain_transactions WHERE chain_id = $1 AND sender = $2 AND state <> 'dropped'",
        [chainId, sender],
      );
      const nonce = rows[0]?.next && rows[0].next > pendingNonce ? rows[0].next : pendingNonce;
      // Gas with headroom: an airdrop's cost depends on recipients' state, which can change.
      await signAndStore(chunk, nonce, (gas * 12n) / 10n, fees.maxFeePerGas, fees.maxPriorityFeePerGas);
      const [stored] = await attemptsOf(chunk);
      await broadcast(stored!.raw_transaction);
      await db.query("UPDATE chain_transactions SET state = 'broadcast' WHERE tx_hash = $1", [stored!.tx_hash]);
    });
    fault("after-broadcast");
    await awaitChunk(chunk);
  }

  async function nextChunk(): Promise<ChunkRow | undefined> {
    const now = Date.now();
    for (const [jobId, until] of deferredUntil) if (until <= now) deferredUntil.delete(jobId);
    const { rows } = await db.query<ChunkRow>(
      `SELECT c.job_id, c.chunk_index, j.collection_address, j.edition_id, c.recipient, c.quantity, c.recipients, c.state
       FROM mint_chunks c JOIN mint_jobs j USING (job_id)
       WHERE j.chain_id = $1 AND j.state IN ('queued', 'sending') AND c.state IN ('pending', 'sent')
         AND j.job_id::text <> ALL($2::text[])
       ORDER BY (c.state = 'sent') DESC, j.created_at, j.job_id, c.chunk_index LIMIT 1`,
      [chainId, [...deferredUntil.keys()]],
    );
    return rows[0];
  }

  async function runLoop(): Promise<void> {
    while (running) {
      try {
        const chunk = await nextChunk();
        if (!chunk) {
          await new Promise<void>((resolve) => {
            wakeUp = resolve;
            setTimeout(resolve, idlePollMs);
          });
          continue;
        }
        if (chunk.state === "sent") await awaitChunk(chunk);
        else await sendChunk(chunk);
      } catch (error) {
        if (!running) return;
        logger.error({ err: error }, "mint sender step failed; retrying");
        await sleep(1_000);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
