import type { Address } from "viem";
import type { SenderDeps } from "./senderDeps.js";

/** A chunk of a job still to mine, with what its contract call needs from the job. */
export interface ChunkRow {
  job_id: string;
  issuer_id: string;
  chunk_index: number;
  collection_address: Address;
  edition_id: bigint;
  recipient: Address | null;
  quantity: number;
  recipients: Address[] | null;
  state: "pending" | "sent";
}

/**
 * The chunk to work on next among this sender's jobs (those whose `sender` is its key) on this chain:
 * one already sent first (after a restart, its nonce is taken and must be settled), then the oldest
 * job's first pending chunk. Jobs with a chunk in flight (`state.inFlight`) are skipped, and so are
 * jobs deferred until a time not yet reached; deferrals that have run out are forgotten.
 */
export async function pickNextChunk(deps: Pick<SenderDeps, "db" | "chainId" | "sender" | "state">): Promise<ChunkRow | undefined> {
  const { deferredUntil, inFlight } = deps.state;
  const now = Date.now();
  for (const [jobId, until] of deferredUntil) if (until <= now) deferredUntil.delete(jobId);
  const { rows } = await deps.db.query<ChunkRow>(
    `SELECT c.job_id, j.issuer_id, c.chunk_index, j.collection_address, j.edition_id, c.recipient, c.quantity, c.recipients, c.state
     FROM mint_chunks c JOIN mint_jobs j USING (job_id)
     WHERE j.chain_id = $1 AND j.sender = $3 AND j.state IN ('queued', 'sending') AND c.state IN ('pending', 'sent')
       AND j.job_id::text <> ALL($2::text[])
     ORDER BY (c.state = 'sent') DESC, j.created_at, j.job_id, c.chunk_index LIMIT 1`,
    [deps.chainId, [...deferredUntil.keys(), ...inFlight.keys()], deps.sender],
  );
  return rows[0];
}
