import type { Database } from "../db/Database.js";

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { VermilionError } from "../errors/VermilionError.js";

/** What an idempotent write answers: kept as is and returned to every retry. */
export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

export interface RunIdempotentlyParameters {
  /** Who sends the key ('issuer:<id>' or 'admin'): two issuers' keys never meet. */
  principal: string;
  /** The Idempotency-Key header; without one the write simply runs. */
  idempotencyKey: string | undefined;
  /** The route, e.g. "POST /api/collections/:address/pause". */
  operation: string;
  /** Everything the answer depends on besides the principal: path parameters, body, upload digests. */
  request: unknown;
  /** How long a running request may hold its key before another process takes it over as crashed. */
  leaseSeconds?: number;
  /** How long a retry waits for a running twin's answer before 409 IDEMPOTENCY_REQUEST_IN_PROGRESS. */
  waitMs?: number;
  /**
   * The answer holds a secret (a new API key, stored elsewhere only as its hash): it is kept encrypted
   * under a key derived from the Idempotency-Key, which the database holds only hashed, so the stored
   * answer is readable only by whoever presents that Idempotency-Key again.
   */
  sealAnswer?: boolean;
}

export interface IdempotentResult extends IdempotentAnswer {
  /** True when the answer is an earlier request's, returned again. */
  replayed: boolean;
}

const DEFAULT_LEASE_SECONDS = 600;
const DEFAULT_WAIT_MS = 5_000;
const POLL_MS = 100;

/** The request's identity: JSON with bigints as decimal strings and object keys sorted. */
export function requestSha256(operation: string, request: unknown): string {
  const canonical = JSON.stringify({ operation, request }, (_key, value: unknown) => {
    if (typeof value === "bigint") return value.toString();
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/** The stored form of a key: its hash, so a read of the table gives no one a key to replay, nor a sealed answer's key. */
function storedKeyOf(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("hex");
}

function sealingKeyOf(principal: string, idempotencyKey: string): Buffer {
  return Buffer.from(hkdfSync("sha256", idempotencyKey, principal, "vermilion idempotent answer", 32));
}

/** AES-256-GCM, bound to the request's hash: `{ sealed: iv.ciphertext.tag }` in base64url. */
function sealBody(parameters: { principal: string; idempotencyKey: string; requestSha256: string }, body: unknown): { sealed: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKeyOf(parameters.principal, parameters.idempotencyKey), iv);
  cipher.setAAD(Buffer.from(parameters.requestSha256));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(body), "utf8"), cipher.final()]);
  return { sealed: [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".") };
}

function openBody(parameters: { principal: string; idempotencyKey: string; requestSha256: string }, stored: { sealed: string }): unknown {
  const [iv, ciphertext, tag] = stored.sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", sealingKeyOf(parameters.principal, parameters.idempotencyKey), iv!);
  decipher.setAAD(Buffer.from(parameters.requestSha256));
  decipher.setAuthTag(tag!);
  return JSON.parse(Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString("utf8")) as unknown;
}

interface Row {
  request_sha256: string;
  state: "running" | "done";
  response_status: number | null;
  response_body: unknown;
  expired: boolean;
}

/**
 * Runs an issuer write at most once per Idempotency-Key, with the semantics of mint jobs: the same key
 * with the same request returns the first successful answer (`replayed`), with another request it is
 * refused (409 IDEMPOTENCY_KEY_REUSED). A retry that arrives while the first is still running waits
 * for its answer, then is told to come back (409 IDEMPOTENCY_REQUEST_IN_PROGRESS, retryable).
 *
 * The key is claimed in the database before `execute` runs, so two processes never both run it. A
 * failure releases the key (a retry runs again): only answers that happened are kept. A process that
 * dies mid-write leaves its claim until the lease ends; a retry then runs the write again, which is
 * what a client without a key would get, and each write's own recovery (an edition found already sent,
 * a transaction already mined) is what keeps that second run from doubling anything on chain. A
 * process that was only slow, not dead, finds its claim taken over when it finishes: its client gets
 * its answer, and the stored one (every later retry's) stays the taker's.
 */
export async function runIdempotently(
  deps: { db: Database },
  parameters: RunIdempotentlyParameters,
  execute: () => Promise<IdempotentAnswer>,
): Promise<IdempotentResult> {
  const { db } = deps;
  const { principal, idempotencyKey: key } = parameters;
  if (key === undefined) return { ...(await execute()), replayed: false };
  const hash = requestSha256(parameters.operation, parameters.request);
  const storedKey = storedKeyOf(key);
  const sealing = { principal, idempotencyKey: key, requestSha256: hash };
  const leaseSeconds = parameters.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const deadline = Date.now() + (parameters.waitMs ?? DEFAULT_WAIT_MS);

  const claimId = randomUUID();
  for (;;) {
    const { rows: claimed } = await db.query(
      `INSERT INTO idempotent_requests (principal, idempotency_key, request_sha256, operation, state, running_until, claim_id)
       VALUES ($1, $2, $3, $4, 'running', now() + make_interval(secs => $5), $6)
       ON CONFLICT (principal, idempotency_key) DO UPDATE SET running_until = EXCLUDED.running_until, claim_id = EXCLUDED.claim_id
         WHERE idempotent_requests.state = 'running' AND idempotent_requests.running_until < now()
           AND idempotent_requests.request_sha256 = EXCLUDED.request_sha256
       RETURNING 1`,
      [principal, storedKey, hash, parameters.operation, leaseSeconds, claimId],
    );
    if (claimed.length > 0) break;

    const { rows } = await db.query<Row>(
      `SELECT request_sha256, state, response_status, response_body, running_until < now() AS expired
       FROM idempotent_requests WHERE principal = $1 AND idempotency_key = $2`,
      [principal, storedKey],
    );
    const row = rows[0];
    if (!row) continue; // released by a failed twin between the two statements: claim it now
    if (row.request_sha256 !== hash) throw new VermilionError("IDEMPOTENCY_KEY_REUSED", { key });
    if (row.state === "done") {
      const body = parameters.sealAnswer ? openBody(sealing, row.response_body as { sealed: string }) : row.response_body;
      return { status: row.response_status!, body, replayed: true };
    }
    if (row.expired) continue;
    if (Date.now() >= deadline) {
      throw new VermilionError("IDEMPOTENCY_REQUEST_IN_PROGRESS", { key, retryAfterSeconds: 2 });
    }
    await sleep(POLL_MS);
  }

  let answer: IdempotentAnswer;
  try {
    answer = await execute();
  } catch (error) {
    await db
      .query("DELETE FROM idempotent_requests WHERE principal = $1 AND idempotency_key = $2 AND state = 'running' AND claim_id = $3", [principal, storedKey, claimId])
      .catch(() => undefined); // the lease frees it anyway; the write's own error is the one to report
    throw error;
  }
  await db.query(
    `UPDATE idempotent_requests SET state = 'done', response_status = $3, response_body = $4, completed_at = now(), running_until = NULL
     WHERE principal = $1 AND idempotency_key = $2 AND state = 'running' AND claim_id = $5`,
    [principal, storedKey, answer.status, JSON.stringify(parameters.sealAnswer ? sealBody(sealing, answer.body) : answer.body), claimId],
  );
  return { ...answer, replayed: false };
}
