import type { Account, Address, Chain, Transport, WalletClient } from "viem";
import type { Logger } from "pino";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { WriteLock } from "../../cluster/createWriteLock.js";
import type { Lease } from "../../cluster/createLeaseKeeper.js";
import type { Database } from "../../db/Database.js";
import type { GasFunder } from "../../gas/createGasFunder.js";

/** Named points in the send path where tests may crash the process (`kill -9`) to prove recovery. */
export type MintFaultPoint = "before-sign" | "after-sign" | "after-broadcast" | "after-receipt";

/** The little the sender remembers between steps; everything else is in the database or on chain. */
export interface SenderState {
  /** False once `stop()` is called: retries and waits give up, and the loop ends after its step. */
  running: boolean;
  /** Jobs waiting on a condition that may pass (paused, key revoked, gas budget spent): skipped until the time given. */
  deferredUntil: Map<string, number>;
  /** Ends the loop's idle wait early (set while it waits). */
  wakeUp: (() => void) | undefined;
  /** When `confirmMinedChunks` last read receipts (it does at most once a second). */
  lastConfirmCheckAt: number;
  /** Mined transactions of unfinished jobs already seen final: their receipts are not read again. */
  finalTxHashes: Set<string>;
  /**
   * Set by `wake()`, cleared before each look for work: a job accepted while the loop was looking
   * (after its query, before its idle wait) then cuts the wait short instead of waiting it out.
   */
  woken: boolean;
  /**
   * Jobs with a chunk sent and not yet settled, and what settles it: the loop sends other jobs' chunks
   * meanwhile (with the next nonces), but never a second chunk of the same job, so a job's chunks mine
   * in order and a refusal fails or defers only its own job.
   */
  inFlight: Map<string, Promise<void>>;
}

/**
 * What the sender's steps work with: its dependencies with defaults applied, the signing account and
 * chain, and its state. Each step takes only the fields it names.
 */
export interface SenderDeps {
  db: Database;
  chain: ChainClients;
  writeLock: WriteLock;
  logger: Logger;
  /** The signing key's address (lowercase): jobs whose `sender` it is are this sender's. */
  sender: Address;
  /** The signing key's wallet client (`chain.walletFor(account)`). */
  wallet: WalletClient<Transport, Chain, Account>;
  /** The platform's own key (collections made before issuer accounts): it pays its own gas. */
  isPlatformKey: boolean;
  /** Tops up an issuer's key before it sends; required unless `isPlatformKey`. */
  gasFunder: Pick<GasFunder, "ensureFunded"> | undefined;
  /** How long a job that waits (paused, key revoked, gas budget spent) is set aside before it is tried again. */
  waitRetryMs: number;
  chainId: bigint;
  /** How long a broadcast transaction may stay unmined before it is replaced with a higher fee. */
  replaceAfterMs: number;
  /** How often a wait asks the node whether it still knows the transaction (re-broadcast if not). */
  mempoolCheckMs: number;
  /**
   * The chain's finality depth (CONFIRMATIONS, `finalBlockAt`): a job is completed once every chunk's
   * block has this many confirmations; until then a chunk whose block is reorged away is sent again.
   */
  confirmations: number;
  /** Told of every mint transaction the node lost: dropped from its mempool, or its block reorged away (a metric). */
  onTransactionLost: (cause: "dropped" | "reorged") => void;
  /** How long a used nonce must go without a receipt of ours before it is taken for another signer's. */
  foreignNonceAfterMs: number;
  /** The cluster lease that makes this the one sender of the key, if there is a cluster. */
  lease: Pick<Lease, "name" | "isHeld" | "epoch"> | undefined;
  /** Test hook: called at each fault point. */
  fault: (point: MintFaultPoint) => void;
  state: SenderState;
}
