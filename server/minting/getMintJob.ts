import type { Queryable } from "../db/Database.js";
import type { MintJobView } from "../views/mintJobView.js";

import { VermilionError } from "../errors/VermilionError.js";

interface JobRow {
  job_id: string;
  issuer_id: string;
  collection_address: string;
  edition_id: bigint;
  kind: "mint" | "airdrop";
  state: MintJobView["state"];
  total_tokens: number;
  error_code: string | null;
  error_details: unknown;
  sender: string | null;
  waiting_code: string | null;
  waiting_details: unknown;
  waiting_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ChunkRow {
  quantity: number;
  state: string;
  tx_hash: string | null;
  first_token_id: string | null;
}

/** A mint job with its progress and results; NOT_FOUND if there is no such job. */
export async function getMintJob(db: Queryable, jobId: string): Promise<MintJobView> {
  const { rows } = await db.query<JobRow>(
    `SELECT job_id, issuer_id, collection_address, edition_id, kind, state, total_tokens, error_code, error_details, sender,
            waiting_code, waiting_details, waiting_since, created_at, updated_at
     FROM mint_jobs WHERE job_id = $1`,
    [jobId],
  );
  const job = rows[0];
  if (!job) throw new VermilionError("NOT_FOUND", { resource: `job ${jobId}` });
  const { rows: chunks } = await db.query<ChunkRow>(
    "SELECT quantity, state, tx_hash, first_token_id::text FROM mint_chunks WHERE job_id = $1 ORDER BY chunk_index",
    [jobId],
  );
  const tokenIds: string[] = [];
  let done = 0;
  for (const chunk of chunks) {
    if (chunk.state !== "mined" || chunk.first_token_id === null) continue;
    done += chunk.quantity;
    const first = BigInt(chunk.first_token_id);
    for (let offset = 0n; offset < BigInt(chunk.quantity); offset += 1n) tokenIds.push((first + offset).toString());
  }
  return {
    jobId: job.job_id,
    issuerId: job.issuer_id,
    collection: job.collection_address,
    editionId: job.edition_id.toString(),
    kind: job.kind,
    state: job.state,
    progress: { done, total: job.total_tokens },
    transactions: chunks.flatMap((chunk) => (chunk.tx_hash ? [chunk.tx_hash] : [])),
    tokenIds,
    error: job.error_code ? { code: job.error_code, details: job.error_details } : null,
    sender: job.sender,
    waiting: job.waiting_code
      ? { code: job.waiting_code, details: job.waiting_details, since: (job.waiting_since ?? job.updated_at).toISOString() }
      : null,
    createdAt: job.created_at.toISOString(),
    updatedAt: job.updated_at.toISOString(),
  };
}
