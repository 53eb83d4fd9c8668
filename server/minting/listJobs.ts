import type { Queryable } from "../db/Database.js";
import type { JobListView, JobSummaryView } from "../views/jobSummaryView.js";

import { z } from "zod";

import { VermilionError } from "../errors/VermilionError.js";

export const JOB_KINDS = ["mint", "airdrop", "edition"] as const;
export const JOB_STATES = ["queued", "building", "sending", "completed", "failed"] as const;

export interface ListJobsParameters {
  chainId: number;
  /** Whose jobs; undefined lists every issuer's (an admin key without issuerId). */
  issuerId: string | undefined;
  state?: (typeof JOB_STATES)[number];
  kind?: (typeof JOB_KINDS)[number];
  /** The `nextCursor` of the page before. */
  cursor?: string;
  limit: number;
}

/** A cursor is the last row's position: its created_at exactly as PostgreSQL prints it (microseconds) and its id. */
const cursorSchema = z.tuple([z.string().min(1).max(64), z.uuid()]);

function encodeCursor(createdAt: string, jobId: string): string {
  return Buffer.from(JSON.stringify([createdAt, jobId])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new VermilionError("VALIDATION_FAILED", { field: "query.cursor", reason: "is not a cursor this API returned" });
  }
}

interface JobListRow {
  job_id: string;
  issuer_id: string;
  kind: JobSummaryView["kind"];
  state: JobSummaryView["state"];
  collection_address: string;
  edition_id: string | null;
  done: string;
  total: string;
  error_code: string | null;
  error_details: unknown;
  waiting_code: string | null;
  waiting_details: unknown;
  waiting_since: Date | null;
  created_at: Date;
  created_at_text: string;
  updated_at: Date;
}

/**
 * An issuer's jobs, mint and edition jobs together, newest first, one page at a time (keyset on
 * created_at, job_id: a page never repeats or skips a job when new ones arrive meanwhile).
 * Each branch is ordered and limited on its own index before the two are merged.
 */
export async function listJobs(deps: { db: Queryable }, parameters: ListJobsParameters): Promise<JobListView> {
  const [afterCreatedAt, afterJobId] = parameters.cursor === undefined ? [null, null] : decodeCursor(parameters.cursor);
  const filters = `chain_id = $1 AND ($2::uuid IS NULL OR issuer_id = $2::uuid) AND ($3::text IS NULL OR state = $3::text)
    AND ($5::timestamptz IS NULL OR (created_at, job_id) < ($5::timestamptz, $6::uuid))`;
  const { rows } = await deps.db.query<JobListRow>(
    `WITH page AS (
       (SELECT job_id, issuer_id, kind, state, collection_address, edition_id::text AS edition_id, NULL::bigint AS documents_written,
               total_tokens::bigint AS total, error_code, error_details, waiting_code, waiting_details, waiting_since, created_at, updated_at
        FROM mint_jobs WHERE ${filters} AND ($4::text IS NULL OR kind = $4::text)
        ORDER BY created_at DESC, job_id DESC LIMIT $7)
       UNION ALL
       (SELECT job_id, issuer_id, 'edition', state, collection_address, edition_id::text, documents_written,
               documents_total, error_code, error_details, NULL, NULL, NULL, created_at, updated_at
        FROM edition_jobs WHERE ${filters} AND ($4::text IS NULL OR $4::text = 'edition')
        ORDER BY created_at DESC, job_id DESC LIMIT $7)
       ORDER BY created_at DESC, job_id DESC LIMIT $7
     )
     SELECT page.*, created_at::text AS created_at_text,
            (CASE WHEN kind = 'edition' THEN documents_written
                  ELSE (SELECT coalesce(sum(quantity), 0) FROM mint_chunks c WHERE c.job_id = page.job_id AND c.state = 'mined') END)::text AS done,
            total::text AS total
     FROM page ORDER BY created_at DESC, job_id DESC`,
    [
      BigInt(parameters.chainId),
      parameters.issuerId ?? null,
      parameters.state ?? null,
      parameters.kind ?? null,
      afterCreatedAt,
      afterJobId,
      parameters.limit + 1,
    ],
  );
  const page = rows.slice(0, parameters.limit);
  const last = page.at(-1);
  return {
    jobs: page.map(
      (row): JobSummaryView => ({
        jobId: row.job_id,
        issuerId: row.issuer_id,
        kind: row.kind,
        state: row.state,
        collection: row.collection_address,
        editionId: row.edition_id,
        progress: { done: Number(row.done), total: Number(row.total), unit: row.kind === "edition" ? "documents" : "tokens" },
        error: row.error_code ? { code: row.error_code, details: row.error_details } : null,
        waiting: row.waiting_code
          ? { code: row.waiting_code, details: row.waiting_details, since: (row.waiting_since ?? row.updated_at).toISOString() }
          : null,
        location: row.kind === "edition" ? `/api/edition-jobs/${row.job_id}` : `/api/jobs/${row.job_id}`,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      }),
    ),
    nextCursor: rows.length > parameters.limit && last ? encodeCursor(last.created_at_text, last.job_id) : null,
  };
}
