import type { Database } from "../db/Database.js";
import type { ErrorCode } from "../errors/errorCatalogue.js";
import type { FetchPlannedRangeReturnType } from "./sync/fetchPlannedRange.js";
import type { BlockRangeState } from "./sync/narrowBlockRange.js";
import type { ReadAhead } from "./sync/readAhead.js";
import type { RpcClient } from "./sync/withRpcRetry.js";
import type { IndexerLogger } from "./types.js";

import { finalBlockAt } from "../chain/finality.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { VermilionError } from "../errors/VermilionError.js";
import { commitRange } from "./store/commitRange.js";
import { readCheckpoint } from "./store/readCheckpoint.js";
import { recordHalt } from "./store/recordHalt.js";
import { fetchPlannedRange } from "./sync/fetchPlannedRange.js";
import { handleReorg } from "./sync/handleReorg.js";
import { isCheckpointOrphaned } from "./sync/isCheckpointOrphaned.js";
import { isRangeRefusal } from "./sync/isRangeRefusal.js";
import { narrowBlockRange } from "./sync/narrowBlockRange.js";
import { planNextRange } from "./sync/planNextRange.js";
import { readAhead } from "./sync/readAhead.js";
import { verifyChainId } from "./sync/verifyChainId.js";
import { widenBlockRange } from "./sync/widenBlockRange.js";
import { withRpcRetry } from "./sync/withRpcRetry.js";

/** The reorg window kept when `confirmations` is smaller (0 on a local chain): Anvil reverts need one too. */
export const DEFAULT_REORG_WINDOW_BLOCKS = 64;

export interface CreateIndexerParameters {
  db: Database;
  /** A viem client (only `request` is used), configured with the transport the deployment wants. */
  publicClient: RpcClient;
  factoryAddress: `0x${string}`;
  /** The chain the index belongs to; an RPC serving another one halts with CHAIN_ID_MISMATCH. */
  chainId?: bigint;
  /** First block to read when the database holds no checkpoint yet (the factory's deployment block). */
  fromBlock?: bigint;
  /**
   * The chain's finality depth (CONFIRMATIONS, `resolveConfirmations`): a block with this many
   * confirmations, itself included, is final in the API (`final`, `indexedBlock.finalizedBlock`).
   */
  confirmations?: number;
  /**
   * Blocks kept reorganizable; defaults to `max(confirmations, 64)`. A reorg whose common ancestor is
   * older than this halts indexing with REORG_TOO_DEEP.
   */
  reorgWindowBlocks?: number;
  /** Widest `eth_getLogs` range asked for; halved whenever the node refuses one. */
  maxBlockRange?: number;
  /** Pause between polls once caught up with the head. */
  pollIntervalMs?: number;
  /** First delay after a failed step; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Retries of each single JSON-RPC call before its range is given up and retried whole. */
  rpcRetries?: number;
  logger?: IndexerLogger;
}

/**
 * Errors that halt the indexer (reported by `status().lastError` and rejected by `waitUntilSynced`);
 * every other failure is retried.
 */
export type IndexerErrorType = VermilionError & { code: "REORG_TOO_DEEP" | "RPC_RANGE_REFUSED" | "CHAIN_ID_MISMATCH" };

export type IndexerState = "stopped" | "backfilling" | "following" | "halted";

export interface IndexerStatus {
  state: IndexerState;
  chainId: bigint | null;
  checkpointBlock: bigint | null;
  headBlock: bigint | null;
  /** Blocks between the chain's head and the checkpoint at the last poll. */
  lagBlocks: bigint | null;
  blockRange: number;
  reorgWindowBlocks: number;
  reorgsHandled: number;
  /** Failed steps in a row (each retried whole after a backoff). */
  consecutiveFailures: number;
  /** Single JSON-RPC calls that failed and were retried, since creation. */
  rpcCallsRetried: number;
  lastError: { code: ErrorCode; message: string; retryable: boolean } | null;
}

export interface Indexer {
  /** Starts following; resolves once the loop runs (not when it catches up). */
  start(): Promise<void>;
  /** Stops after the step in flight (a step commits whole or not at all). */
  stop(): Promise<void>;
  status(): IndexerStatus;
  /**
   * Resolves after a poll that started after this call found nothing left to index, with the chain's
   * head at `minHeadBlock` or above; rejects with the halting error when the indexer halts.
   */
  waitUntilSynced(minHeadBlock?: bigint, timeoutMs?: number): Promise<void>;
}

const silentLogger: IndexerLogger = { info() {}, warn() {}, error() {} };

function asVermilionError(error: unknown): VermilionError {
  if (error instanceof VermilionError) return error;
  return new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: error });
}

/**
 * The event indexer of one factory and every collection it creates: backfills from `fromBlock` in
 * ranges the node accepts, then follows the head by polling, keeping the last `reorgWindowBlocks` block
 * hashes to roll back a reorg to its common ancestor. Retryable failures (RPC down, rate limits, garbled
 * answers, a block changing mid-read) are retried with backoff; final ones halt it.
 */
export function createIndexer(parameters: CreateIndexerParameters): Indexer {
  const { db, logger = silentLogger } = parameters;
  const factoryAddress = toStoredAddress(parameters.factoryAddress);
  const startBlock = parameters.fromBlock ?? 0n;
  const confirmations = parameters.confirmations ?? 0;
  const reorgWindow = BigInt(parameters.reorgWindowBlocks ?? Math.max(confirmations, DEFAULT_REORG_WINDOW_BLOCKS));
  const maxBlockRange = parameters.maxBlockRange ?? 2_000;
  const pollIntervalMs = parameters.pollIntervalMs ?? 1_000;
  const retryDelayMs = parameters.retryDelayMs ?? 250;
  const maxRetryDelayMs = parameters.maxRetryDelayMs ?? 10_000;

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let range: BlockRangeState = { blockRange: maxBlockRange, successesSinceShrink: 0 };
  let stepsStarted = 0;
  let lastIdleStep = 0;
  let haltError: VermilionError | null = null;
  let pendingReadAhead: ReadAhead | null = null;
  const status: IndexerStatus = {
    state: "stopped",
    chainId: null,
    checkpointBlock: null,
    headBlock: null,
    lagBlocks: null,
    blockRange: range.blockRange,
    reorgWindowBlocks: Number(reorgWindow),
    reorgsHandled: 0,
    consecutiveFailures: 0,
    rpcCallsRetried: 0,
    lastError: null,
  };
  const publicClient = withRpcRetry(parameters.publicClient, {
    retries: parameters.rpcRetries ?? 3,
    retryDelayMs,
    onRetry: () => status.rpcCallsRetried++,
  });
  const progressListeners = new Set<() => void>();
  const notify = () => progressListeners.forEach((listener) => listener());

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => ((wake = null), resolve()), ms);
      wake = () => (clearTimeout(timer), (wake = null), resolve());
    });
  }

  /** One unit of work: a reorg rollback or one range. Returns whether more work is waiting. */
  async function step(chainId: bigint): Promise<boolean> {
    const headBlock = BigInt(await publicClient.request({ method: "eth_blockNumber" }));
    status.headBlock = headBlock;
    const checkpoint = await readCheckpoint(db, chainId, factoryAddress);
    if (checkpoint && (await isCheckpointOrphaned({ publicClient }, { checkpoint, headBlock }))) {
      pendingReadAhead = null;
      const { ancestor } = await handleReorg(
        { db, publicClient, logger },
        { chainId, factoryAddress, checkpoint, headBlock, startBlock, reorgWindow },
      );
      status.reorgsHandled++;
      status.checkpointBlock = ancestor?.number ?? null;
      return true;
    }
    status.checkpointBlock = checkpoint?.blockNumber ?? null;
    status.lagBlocks = headBlock - (checkpoint?.blockNumber ?? startBlock - 1n);
    const planned = await planNextRange(
      { db, publicClient },
      { chainId, factoryAddress, checkpoint, startBlock, headBlock, blockRange: range.blockRange, reorgWindow },
    );
    if (!planned) return false;
    const { fromBlock } = planned.range;
    const taken = pendingReadAhead;
    pendingReadAhead = null;
    let fetchedRange: FetchPlannedRangeReturnType;
    try {
      fetchedRange = await fetchPlannedRange({ range: planned.range, readAhead: taken });
    } catch (error) {
      if (!isRangeRefusal(error)) throw error;
      range = narrowBlockRange(range, { fromBlock, cause: error });
      status.blockRange = range.blockRange;
      logger.warn({ fromBlock, toBlock: planned.range.toBlock, blockRange: range.blockRange }, "node refused the log range; halving it");
      return true;
    }
    const { fetched, toBlock } = fetchedRange;
    // Backfilling: read the next range while this one commits (the node and the database work at once).
    // The step that needs it checks that it still fits; a reorg in between fails its parent-hash check.
    if (toBlock < headBlock) {
      pendingReadAhead = readAhead({
        current: planned.range,
        fetched,
        fetchedToBlock: toBlock,
        blockRange: range.blockRange,
        headBlock,
      });
    }
    const { insertedEvents } = await commitRange(db, {
      chainId,
      factoryAddress,
      ...fetched,
      finalizedBlock: planned.finalizedBlock,
      finalBlock: finalBlockAt(toBlock, confirmations),
      reorgWindow,
      previousCheckpoint: checkpoint,
    });
    range = widenBlockRange(range, { maxBlockRange });
    status.blockRange = range.blockRange;
    status.checkpointBlock = toBlock;
    status.lagBlocks = headBlock - toBlock;
    logger.info({ fromBlock, toBlock, events: insertedEvents }, "indexed range");
    return toBlock < headBlock;
  }

  async function run() {
    let chainId: bigint | null = null;
    while (running) {
      try {
        chainId ??= await verifyChainId({ publicClient }, { expectedChainId: parameters.chainId });
        status.chainId = chainId;
        const stepNumber = ++stepsStarted;
        const more = await step(chainId);
        if (!more) lastIdleStep = stepNumber;
        status.consecutiveFailures = 0;
        status.lastError = null;
        status.state = more ? "backfilling" : "following";
        notify();
        if (!more) await sleep(pollIntervalMs);
      } catch (caught) {
        pendingReadAhead = null;
        const error = asVermilionError(caught);
        status.lastError = { code: error.code, message: error.message, retryable: error.retryable };
        if (!error.retryable) {
          status.state = "halted";
          haltError = error;
          logger.error({ code: error.code, details: error.details }, error.message);
          if (chainId !== null) await recordHalt(db, { chainId, factoryAddress, error });
          running = false;
          notify();
          return;
        }
        status.consecutiveFailures++;
        const delayMs = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.min(status.consecutiveFailures - 1, 10));
        logger.warn({ code: error.code, cause: String(error.cause ?? ""), delayMs }, "indexer step failed; retrying");
        notify();
        await sleep(delayMs);
      }
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      status.state = "backfilling";
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
      // A range read ahead is dropped; let its calls finish so none outlives the indexer.
      await pendingReadAhead?.outcome;
      pendingReadAhead = null;
      if (status.state !== "halted") status.state = "stopped";
      notify();
    },
    status: () => ({ ...status, lastError: status.lastError ? { ...status.lastError } : null }),
    waitUntilSynced(minHeadBlock = 0n, timeoutMs = 30_000) {
      const calledAtStep = stepsStarted;
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (haltError) {
            done();
            reject(haltError);
          } else if (lastIdleStep > calledAtStep && (status.headBlock ?? -1n) >= minHeadBlock) {
            done();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`indexer did not sync to block ${minHeadBlock} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          progressListeners.delete(check);
        };
        progressListeners.add(check);
        check();
      });
    },
  };
}
