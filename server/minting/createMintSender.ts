import type { LocalAccount } from "viem";
import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";
import type { Lease } from "../cluster/createLeaseKeeper.js";
import type { Database } from "../db/Database.js";
import type { GasFunder } from "../gas/createGasFunder.js";
import type { ChunkRow } from "./sender/pickNextChunk.js";
import type { MintFaultPoint, SenderDeps, SenderState } from "./sender/senderDeps.js";

import { setTimeout as sleep } from "node:timers/promises";

import { awaitChunkReceipt } from "./sender/awaitChunkReceipt.js";
import { confirmMinedChunks } from "./sender/confirmMinedChunks.js";
import { pickNextChunk } from "./sender/pickNextChunk.js";
import { sendChunk } from "./sender/sendChunk.js";
import { settleChunk } from "./sender/settleChunk.js";

// The fault points belong to the sender's public contract (main.ts and the crash tests name them).
export type { MintFaultPoint } from "./sender/senderDeps.js";

export interface MintSenderDependencies {
  db: Database;
  chain: ChainClients;
  /**
   * The key this sender signs with: an issuer's operating key (`issuerKeyring.accountFor`), or the
   * platform's own (the default), which sends for collections made before issuer accounts.
   */
  account?: LocalAccount;
  /** The write lock of that key (`writeLocks(account.address)`). */
  writeLock: WriteLock;
  /** Tops up an issuer's key before each transaction; required unless the key is the platform's. */
  gasFunder?: Pick<GasFunder, "ensureFunded">;
  logger: Logger;
  /** How long a broadcast transaction may stay unmined before it is replaced with a higher fee. */
  replaceAfterMs?: number;
  /**
   * How long a used nonce must go without a receipt for any of the chunk's transactions before the
   * sender concludes another signer took it and sends the chunk again (default 30 s).
   */
  foreignNonceAfterMs?: number;
  /** The chain's finality depth (CONFIRMATIONS, resolved): jobs complete once their blocks have this many confirmations (default 0). */
  confirmations?: number;
  /** How often a receipt wait asks the node whether it still knows the transaction (default 3 s). */
  mempoolCheckMs?: number;
  /** Told of each mint transaction the node lost (dropped from its mempool, or reorged away); counted in /metrics. */
  onTransactionLost?: (cause: "dropped" | "reorged") => void;
  /** How often the idle sender looks for new jobs (it is also woken on submission). */
  idlePollMs?: number;
  /**
   * How many chunks (each of a different job) may be sent and not yet settled at once (default 8): a
   * single mint does not wait for the receipts of the jobs accepted before it, only for its own.
   */
  maxChunksInFlight?: number;
  /**
   * How long a job that waits (collection paused, key revoked, gas budget spent: the job shows why)
   * is set aside before it is tried again (default 5 s).
   */
  waitRetryMs?: number;
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

/**
 * Waits `idlePollMs` for new jobs, or less: until `wake()` is called (at once if it was called since
 * the loop last looked for work), or a chunk in flight is settled.
 */
function idle(state: SenderState, idlePollMs: number): Promise<void> {
  if (state.woken) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      if (state.wakeUp === done) state.wakeUp = undefined;
      resolve();
    };
    const timer = setTimeout(done, idlePollMs);
    state.wakeUp = done;
  });
}

/**
 * Awaits the receipt of a sent chunk and settles it, in the background of the loop: the job counts as
 * in flight until then. A step that fails (RPC down, lease lost) is logged and the job left to the loop
 * a second later, which picks its sent chunk again and resumes the wait from the database.
 */
function settleInBackground(deps: SenderDeps, chunk: ChunkRow): void {
  const { state } = deps;
  const settled: Promise<void> = (async () => {
    try {
      const receipt = await awaitChunkReceipt(deps, chunk);
      if (receipt) await settleChunk(deps, { chunk, receipt });
    } catch (error) {
      if (state.running) {
        deps.logger.error({ err: error, jobId: chunk.job_id }, "mint sender step failed; retrying");
        await sleep(1_000);
      }
    } finally {
      // (The job cannot have been picked again meanwhile: the loop skips jobs in flight.)
      state.inFlight.delete(chunk.job_id);
      // A slot is free, and the job may have a next chunk: look again now.
      state.woken = true;
      state.wakeUp?.();
    }
  })();
  state.inFlight.set(chunk.job_id, settled);
}

/**
 * The next chunk is sent (unless it already was) and its receipt awaited in the background, so the
 * next job's chunk goes out with the next nonce without waiting for it: up to `maxChunksInFlight`
 * chunks, one per job. A step that fails (RPC down, lease lost) is retried a second later. On stop,
 * the waits in flight end too (they give up when the sender stops), and the next start resumes them.
 */
async function runLoop(deps: SenderDeps, parameters: { idlePollMs: number; maxChunksInFlight: number }): Promise<void> {
  const { state } = deps;
  while (state.running) {
    try {
      state.woken = false;
      // Mined chunks first: a job completes once its blocks are final, and a chunk reorged away goes out again.
      await confirmMinedChunks(deps);
      const chunk = state.inFlight.size < parameters.maxChunksInFlight ? await pickNextChunk(deps) : undefined;
      if (!chunk) {
        await idle(state, parameters.idlePollMs);
        continue;
      }
      const sent = chunk.state === "sent" || (await sendChunk(deps, chunk));
      if (sent) settleInBackground(deps, chunk);
    } catch (error) {
      if (!state.running) break;
      deps.logger.error({ err: error }, "mint sender step failed; retrying");
      await sleep(1_000);
    }
  }
  await Promise.all(state.inFlight.values());
}

/**
 * The one sender of mint transactions for one signing key (the jobs whose `sender` is that key). It
 * works through them chunk by chunk: signs with an explicit nonce, stores the signed bytes, broadcasts, waits for
 * the receipt (replacing a stuck transaction with the same nonce and a higher fee), then records
 * the tokens. Transient RPC faults are retried with backoff without giving up the nonce. After a
 * crash, `start()` first settles the chunk that was in flight from what the database stored and what
 * the chain says, so nothing is sent twice and no nonce is skipped.
 */
export function createMintSender(dependencies: MintSenderDependencies): MintSender {
  const { chain } = dependencies;
  const state: SenderState = {
    running: false,
    deferredUntil: new Map(),
    wakeUp: undefined,
    woken: false,
    inFlight: new Map(),
    lastConfirmCheckAt: 0,
    finalTxHashes: new Set(),
  };
  const wallet = dependencies.account ? chain.walletFor(dependencies.account) : chain.walletClient;
  const sender = wallet.account.address;
  const isPlatformKey = sender === chain.walletClient.account.address;
  if (!isPlatformKey && !dependencies.gasFunder) throw new Error(`the sender of ${sender}, an issuer's key, needs a gas funder`);
  const deps: SenderDeps = {
    db: dependencies.db,
    chain,
    writeLock: dependencies.writeLock,
    logger: dependencies.logger.child({ sender }),
    sender,
    wallet,
    isPlatformKey,
    gasFunder: dependencies.gasFunder,
    waitRetryMs: dependencies.waitRetryMs ?? 5_000,
    chainId: BigInt(dependencies.chain.chainId),
    replaceAfterMs: dependencies.replaceAfterMs ?? 60_000,
    foreignNonceAfterMs: dependencies.foreignNonceAfterMs ?? 30_000,
    mempoolCheckMs: dependencies.mempoolCheckMs ?? 3_000,
    confirmations: dependencies.confirmations ?? 0,
    onTransactionLost: (cause) => dependencies.onTransactionLost?.(cause),
    lease: dependencies.lease,
    fault: (point) => dependencies.onFaultPoint?.(point),
    state,
  };
  const loopParameters = { idlePollMs: dependencies.idlePollMs ?? 1_000, maxChunksInFlight: dependencies.maxChunksInFlight ?? 8 };
  let loop: Promise<void> | undefined;
  return {
    start() {
      if (state.running) return;
      state.running = true;
      loop = runLoop(deps, loopParameters);
    },
    wake() {
      state.woken = true;
      state.wakeUp?.();
    },
    async stop() {
      state.running = false;
      state.wakeUp?.();
      await loop;
    },
  };
}
