import type { Logger } from "pino";
import type { Database, Queryable } from "../db/Database.js";

import { performance } from "node:perf_hooks";

import { VermilionError } from "../errors/VermilionError.js";

/** A cluster role held through the `leases` table, as seen by the instance that may hold it. */
export interface Lease {
  readonly name: string;
  /**
   * Whether this instance holds the lease now: won, and renewed recently enough that the database
   * cannot have let it expire (judged from when the renewal was sent, so slow answers only shorten it).
   */
  isHeld(): boolean;
  /** The fencing token of the term held, or null. */
  epoch(): bigint | null;
  /**
   * Inside a transaction: locks the lease's row until commit and throws LEASE_LOST unless this instance
   * still holds this term. A takeover waits for the transaction, so a write either lands before the
   * new term starts or not at all.
   */
  assertHeld(tx: Queryable): Promise<void>;
}

export interface LeaseKeeper extends Lease {
  /** Starts competing for the lease; resolves after the first attempt (won or not). */
  start(): Promise<void>;
  /** Stops the role's work if held, then releases the lease so another instance takes over at once. */
  stop(): Promise<void>;
}

export interface CreateLeaseKeeperParameters {
  db: Database;
  /** What the lease guards, e.g. `mint-sender:31337:0xf39f…`. */
  name: string;
  /** This instance, unique per process (a restarted process is a new holder). */
  holderId: string;
  /** How long a term lasts without renewal: the bound on takeover after a holder dies. */
  ttlMs: number;
  /** How often the holder renews and the others try to take over; default a third of `ttlMs`. */
  renewIntervalMs?: number;
  logger: Logger;
  /** Starts the role's work; called each time the lease is won. */
  onAcquired: () => void | Promise<void>;
  /** Stops the role's work; called when the lease is lost or given up. Writes are already refused. */
  onLost: () => Promise<void>;
  /**
   * Take the lease even if the previous term has not expired. Only for an embedded database, which
   * one process at a time can open: a previous holder is necessarily dead.
   */
  takeOverAtStart?: boolean;
}

/**
 * Competes for one named lease and runs the role while it holds it. Terms are granted and expire by
 * the database's clock; each new holder gets a higher epoch (the fencing token), which the holder's
 * writes check in their own transaction (`assertHeld`). The holder stops acting (`isHeld()` false)
 * before its term can have expired, even when the database is unreachable.
 */
export function createLeaseKeeper(parameters: CreateLeaseKeeperParameters): LeaseKeeper {
  const { db, name, holderId, ttlMs, logger } = parameters;
  const renewIntervalMs = parameters.renewIntervalMs ?? Math.max(50, Math.floor(ttlMs / 3));
  let held: { epoch: bigint; until: number } | null = null;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let forceNext = parameters.takeOverAtStart ?? false;

  const isHeld = () => held !== null && performance.now() < held.until;

  async function tryAcquire(): Promise<void> {
    const sentAt = performance.now();
    const { rows } = await db.query<{ epoch: bigint }>(
      `INSERT INTO leases (name, holder, epoch, expires_at) VALUES ($1, $2, 1, now() + make_interval(secs => $3::float8 / 1000))
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, epoch = leases.epoch + 1, acquired_at = now(), expires_at = EXCLUDED.expires_at
       WHERE leases.expires_at <= now() OR $4::boolean
       RETURNING epoch`,
      [name, holderId, ttlMs, forceNext],
    );
    forceNext = false;
    const row = rows[0];
    if (!row) return;
    const term = { epoch: BigInt(row.epoch), until: sentAt + ttlMs };
    held = term;
    logger.info({ lease: name, epoch: term.epoch.toString(), holder: holderId }, "lease acquired");
    try {
      await parameters.onAcquired();
    } catch (error) {
      logger.error({ err: error, lease: name }, "role failed to start; giving the lease up");
      const epoch = term.epoch;
      await lose("role failed to start");
      await release(epoch);
    }
  }

  async function renew(): Promise<void> {
    const current = held!;
    const sentAt = performance.now();
    const { rows } = await db.query(
      `UPDATE leases SET expires_at = now() + make_interval(secs => $4::float8 / 1000)
       WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() RETURNING epoch`,
      [name, holderId, current.epoch, ttlMs],
    );
    if (held !== current) return;
    if (rows.length === 0) await lose("taken over or expired");
    else current.until = sentAt + ttlMs;
  }

  async function lose(reason: string): Promise<void> {
    if (!held) return;
    logger.warn({ lease: name, epoch: held.epoch.toString(), reason }, "lease lost; stopping the role");
    held = null;
    await parameters.onLost();
  }

  /** Ends our term now, if it is still ours, so the next holder need not wait for it to expire. */
  async function release(epoch?: bigint): Promise<void> {
    if (epoch === undefined) return;
    await db.query("UPDATE leases SET expires_at = now() WHERE name = $1 AND holder = $2 AND epoch = $3", [name, holderId, epoch]);
  }

  async function step(): Promise<void> {
    try {
      if (held && !isHeld()) await lose("not renewed in time");
      if (held) await renew();
      else await tryAcquire();
    } catch (error) {
      // The database is unreachable: keep trying; `isHeld()` turns false when the term may have ended.
      logger.warn({ err: error, lease: name }, "lease renewal or acquisition failed");
    }
  }

  async function run(): Promise<void> {
    while (running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, renewIntervalMs);
        wake = () => (clearTimeout(timer), resolve());
      });
      if (running) await step();
    }
  }

  return {
    name,
    isHeld,
    epoch: () => (isHeld() ? held!.epoch : null),
    async assertHeld(tx) {
      const epoch = isHeld() ? held!.epoch : null;
      const { rows } =
        epoch === null
          ? { rows: [] }
          : await tx.query(
              "SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > now() FOR SHARE",
              [name, holderId, epoch],
            );
      if (rows.length === 0) throw new VermilionError("LEASE_LOST", { lease: name, epoch: String(epoch ?? "none") });
    },
    async start() {
      if (running) return;
      running = true;
      await step();
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      const epoch = held?.epoch;
      await lose("shutting down");
      await release(epoch).catch((error: unknown) => logger.warn({ err: error, lease: name }, "lease release failed"));
    },
  };
}
