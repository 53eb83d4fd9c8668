import type { Database } from "../db/Database.js";
import type { ErrorCode } from "../errors/errorCatalogue.js";
import type { Checkpoint } from "./store/readCheckpoint.js";
import type { RpcClient } from "./sync/withRpcRetry.js";
import type { IndexerLogger } from "./types.js";

import { VermilionError } from "../errors/VermilionError.js";
import { commitRange } from "./store/commitRange.js";
import { readCheckpoint } from "./store/readCheckpoint.js";
import { revertToAncestor } from "./store/revertToAncestor.js";
import { fetchBlock } from "./sync/fetchBlock.js";
import { fetchRange, type FetchRangeParameters, type FetchRangeReturnType } from "./sync/fetchRange.js";
import { findCommonAncestor } from "./sync/findCommonAncestor.js";
import { isRangeRefusal } from "./sync/isRangeRefusal.js";
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
  /** Depth at which a block is final on this chain (0 on a local chain). */
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

/** The next range, read while the current one commits: what it was asked for, and how it went. */
interface Prefetch {
  parameters: FetchRangeParameters;
  outcome: Promise<{ fetched: FetchRangeReturnType } | { error: unknown }>;
}

/**
 * Whether a prefetched range answers what the step needs: the same start, parent hash and collections,
 * no further than the step's end, and the same blocks of the reorg window (none, or from the same block).
 */
function prefetchServes(prefetched: FetchRangeParameters, wanted: FetchRangeParameters): boolean {
  const sameWindow =
    prefetched.windowStart === wanted.windowStart ||
    (prefetched.windowStart > prefetched.toBlock && wanted.windowStart > prefetched.toBlock);
  return (
    prefetched.fromBlock === wanted.fromBlock &&
    prefetched.toBlock <= wanted.toBlock &&
    prefetched.expectedParentHash === wanted.expectedParentHash &&
    sameWindow &&
    prefetched.collections.length === wanted.collections.length &&
    prefetched.collections.every((address) => wanted.collections.includes(address))
  );
}

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
  const factoryAddress = parameters.factoryAddress.toLowerCase();
  const confirmations = parameters.confirmations ?? 0;
  const reorgWindow = BigInt(parameters.reorgWindowBlocks ?? Math.max(confirmations, DEFAULT_REORG_WINDOW_BLOCKS));
  const maxBlockRange = parameters.maxBlockRange ?? 2_000;
  const pollIntervalMs = parameters.pollIntervalMs ?? 1_000;
  const retryDelayMs = parameters.retryDelayMs ?? 250;
  const maxRetryDelayMs = parameters.maxRetryDelayMs ?? 10_000;

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let blockRange = maxBlockRange;
  let successesSinceShrink = 0;
  let stepsStarted = 0;
  let lastIdleStep = 0;
  let haltError: VermilionError | null = null;
  let prefetch: Prefetch | null = null;
  const status: IndexerStatus = {
    state: "stopped",
    chainId: null,
    checkpointBlock: null,
    headBlock: null,
    lagBlocks: null,
    blockRange,
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
    const head = BigInt(await publicClient.request({ method: "eth_blockNumber" }));
    status.headBlock = head;
    const checkpoint = await readCheckpoint(db, chainId, factoryAddress);
    if (checkpoint) {
      const onChain = checkpoint.blockNumber <= head ? await fetchBlock(publicClient, checkpoint.blockNumber) : null;
      if (onChain?.hash !== checkpoint.blockHash) {
        prefetch = null;
        await rollBack(chainId, checkpoint, head);
        return true;
      }
    }
    const from = checkpoint ? checkpoint.blockNumber + 1n : (parameters.fromBlock ?? 0n);
    status.checkpointBlock = checkpoint?.blockNumber ?? null;
    status.lagBlocks = head - (checkpoint?.blockNumber ?? from - 1n);
    if (from > head) return false;
    let to = from + BigInt(blockRange) - 1n < head ? from + BigInt(blockRange) - 1n : head;
    const candidateFinalized = head - reorgWindow;
    const finalizedBlock =
      checkpoint && checkpoint.finalizedBlock > candidateFinalized ? checkpoint.finalizedBlock : candidateFinalized;
    const { rows } = await db.query<{ address: string }>(
      "SELECT address FROM indexer_collections WHERE chain_id = $1 AND factory_address = $2",
      [chainId, factoryAddress],
    );
    const wanted: FetchRangeParameters = {
      publicClient,
      chainId,
      factoryAddress,
      collections: rows.map((row) => row.address),
      fromBlock: from,
      toBlock: to,
      windowStart: finalizedBlock + 1n,
      expectedParentHash: checkpoint?.blockHash ?? null,
    };
    const taken = prefetch && prefetchServes(prefetch.parameters, wanted) ? prefetch : null;
    prefetch = null;
    let fetched: FetchRangeReturnType;
    try {
      if (taken) {
        const outcome = await taken.outcome;
        if ("error" in outcome) throw outcome.error;
        fetched = outcome.fetched;
        to = taken.parameters.toBlock;
      } else {
        fetched = await fetchRange(wanted);
      }
    } catch (error) {
      if (!isRangeRefusal(error)) throw error;
      if (blockRange === 1) throw new VermilionError("RPC_RANGE_REFUSED", { blockNumber: from.toString() }, { cause: error });
      blockRange = Math.max(1, Math.floor(blockRange / 2));
      successesSinceShrink = 0;
      status.blockRange = blockRange;
      logger.warn({ fromBlock: from, toBlock: to, blockRange }, "node refused the log range; halving it");
      return true;
    }
    // Backfilling: read the next range while this one commits (the node and the database work at once).
    // The step that needs it checks that it still fits; a reorg in between fails its parent-hash check.
    if (to < head) startPrefetch(wanted, fetched, to, head);
    const { insertedEvents } = await commitRange(db, {
      chainId,
      factoryAddress,
      ...fetched,
      finalizedBlock,
      reorgWindow,
      previousCheckpoint: checkpoint,
    });
    // Grow back slowly after a refusal, so a log-count limit is not hit every other call.
    if (blockRange < maxBlockRange && ++successesSinceShrink >= 4) {
      blockRange = Math.min(maxBlockRange, blockRange * 2);
      successesSinceShrink = 0;
      status.blockRange = blockRange;
    }
    status.checkpointBlock = to;
    status.lagBlocks = head - to;
    logger.info({ fromBlock: from, toBlock: to, events: insertedEvents }, "indexed range");
    return to < head;
  }

  function startPrefetch(current: FetchRangeParameters, fetched: FetchRangeReturnType, currentTo: bigint, head: bigint) {
    const created = fetched.logs
      .filter((log) => log.address === factoryAddress && log.eventName === "CollectionCreated")
      .map((log) => String(log.args.collection).toLowerCase());
    const nextFrom = currentTo + 1n;
    const nextTo = nextFrom + BigInt(blockRange) - 1n < head ? nextFrom + BigInt(blockRange) - 1n : head;
    const parameters: FetchRangeParameters = {
      ...current,
      collections: [...new Set([...current.collections, ...created])],
      fromBlock: nextFrom,
      toBlock: nextTo,
      expectedParentHash: fetched.endBlock.hash,
    };
    prefetch = { parameters, outcome: fetchRange(parameters).then((result) => ({ fetched: result }), (error: unknown) => ({ error })) };
  }

  async function rollBack(chainId: bigint, checkpoint: Checkpoint, head: bigint) {
    const { blockNumber: checkpointBlock, finalizedBlock } = checkpoint;
    const ancestor = await findCommonAncestor(db, { publicClient, chainId, fromBlock: checkpointBlock, finalizedBlock, headBlock: head });
    // Nothing indexed is final yet (a young local chain reset or rolled back past our first block):
    // start over rather than halt.
    const nothingFinal = finalizedBlock < (parameters.fromBlock ?? 0n);
    if (!ancestor && !nothingFinal) {
      throw new VermilionError("REORG_TOO_DEEP", {
        chainId: chainId.toString(),
        finalizedBlock: finalizedBlock.toString(),
        reorgWindow: reorgWindow.toString(),
        checkpointBlock: checkpointBlock.toString(),
      });
    }
    const { revertedEvents } = await db.transaction((tx) =>
      revertToAncestor(tx, { chainId, factoryAddress, ancestor, orphanedCheckpoint: checkpoint }),
    );
    status.reorgsHandled++;
    status.checkpointBlock = ancestor?.number ?? null;
    logger.warn(
      { fromBlock: checkpointBlock, ancestorBlock: ancestor?.number ?? null, revertedEvents },
      "chain reorganized; rolled back to the common ancestor",
    );
  }

  async function halt(chainId: bigint | null, error: VermilionError) {
    status.state = "halted";
    haltError = error;
    logger.error({ code: error.code, details: error.details }, error.message);
    if (chainId === null) return;
    await db
      .query(
        "UPDATE indexer_checkpoints SET halted_code = $3, halted_details = $4::jsonb WHERE chain_id = $1 AND factory_address = $2",
        [chainId, factoryAddress, error.code, JSON.stringify(error.details)],
      )
      .catch(() => {});
  }

  async function run() {
    let chainId: bigint | null = null;
    while (running) {
      try {
        if (chainId === null) {
          const served = BigInt(await publicClient.request({ method: "eth_chainId" }));
          if (parameters.chainId !== undefined && served !== parameters.chainId) {
            throw new VermilionError("CHAIN_ID_MISMATCH", {
              expectedChainId: parameters.chainId.toString(),
              actualChainId: served.toString(),
            });
          }
          chainId = served;
        }
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
        prefetch = null;
        const error = asVermilionError(caught);
        status.lastError = { code: error.code, message: error.message, retryable: error.retryable };
        if (!error.retryable) {
          await halt(chainId, error);
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
      await prefetch?.outcome;
      prefetch = null;
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
