import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";

import { createHash, randomUUID } from "node:crypto";

import { findCollectionSigner } from "../issuers/accounts/findCollectionSigner.js";
import { AIRDROP_CHUNK_RECIPIENTS } from "../minting/submitMintJob.js";
import { lockEditionSupply } from "../supply/lockEditionSupply.js";

export interface DispatchClaimedCodesDeps {
  db: Database;
  chain: ChainClients;
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
}

export interface DispatchClaimedCodesParameters {
  /** Codes per job at most: a job is a few airdrop chunks of AIRDROP_CHUNK_RECIPIENTS. */
  maxCodesPerJob?: number;
}

export interface DispatchClaimedCodesReturnType {
  /** The jobs created, each with the key that sends it (to wake). */
  jobs: Array<{ jobId: string; sender: Address; codes: number }>;
  /** Editions whose codes could not be dispatched this round (they wait for the next): one edition never holds up another. */
  failures: Array<{ collection: Address; editionId: bigint; error: unknown }>;
}

/**
 * One round of the claim dispatcher: for each edition with claimed codes not yet in a job, takes up to
 * `maxCodesPerJob` of them (`FOR UPDATE SKIP LOCKED`, so instances dispatching at once share the work
 * and never take a code twice) and, in the same transaction, creates an airdrop mint job for their
 * recipients and records each code's job, chunk and place in it. No supply check is needed: each
 * code's reserved token moves from the code to the chunk, under the edition's supply lock so a
 * concurrent check never sees it in neither place. Many claims become a few transactions.
 */
export async function dispatchClaimedCodes(
  deps: DispatchClaimedCodesDeps,
  parameters: DispatchClaimedCodesParameters = {},
): Promise<DispatchClaimedCodesReturnType> {
  const { db, chain } = deps;
  const chainId = BigInt(chain.chainId);
  const maxCodes = parameters.maxCodesPerJob ?? AIRDROP_CHUNK_RECIPIENTS * 5;
  const { rows: editions } = await db.query<{ collection_address: Address; edition_id: bigint; issuer_id: string }>(
    `SELECT DISTINCT b.collection_address, b.edition_id, b.issuer_id
     FROM claim_codes c JOIN claim_batches b ON b.batch_id = c.batch_id
     WHERE c.state = 'claimed' AND c.job_id IS NULL AND b.chain_id = $1`,
    [chainId],
  );
  const jobs: DispatchClaimedCodesReturnType["jobs"] = [];
  const failures: DispatchClaimedCodesReturnType["failures"] = [];
  for (const edition of editions) {
    try {
      // Outside the transaction: on embedded PGlite a query beside an open transaction waits for it.
      const signer = await findCollectionSigner(deps, { collection: edition.collection_address, role: "issuing" });
      const sender = signer.account.address;
      const job = await db.transaction(async (tx) => {
        await lockEditionSupply(tx, chain.chainId, edition.collection_address, edition.edition_id);
        const { rows: codes } = await tx.query<{ code_sha256: string; recipient: Address }>(
          `SELECT c.code_sha256, c.recipient
           FROM claim_codes c JOIN claim_batches b ON b.batch_id = c.batch_id
           WHERE c.state = 'claimed' AND c.job_id IS NULL AND b.chain_id = $1 AND b.collection_address = $2 AND b.edition_id = $3
           ORDER BY c.claimed_at, c.code_sha256
           LIMIT $4
           FOR UPDATE OF c SKIP LOCKED`,
          [chainId, edition.collection_address, edition.edition_id, maxCodes],
        );
        if (codes.length === 0) return undefined;
        const jobId = randomUUID();
        const recipients = codes.map((code) => code.recipient);
        const requestSha256 = createHash("sha256").update(JSON.stringify({ claimCodes: codes.map((code) => code.code_sha256) })).digest("hex");
        await tx.query(
          `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state, sender)
           VALUES ($1, $2, $3, $4, $5, 'airdrop', $6, $7, $8, 'queued', $9)`,
          [jobId, chainId, edition.issuer_id, edition.collection_address, edition.edition_id, `claim-codes:${jobId}`, requestSha256, codes.length, sender],
        );
        const chunkIndexes: number[] = [];
        const indexesInChunk: number[] = [];
        for (let offset = 0; offset < recipients.length; offset += AIRDROP_CHUNK_RECIPIENTS) {
          const chunk = recipients.slice(offset, offset + AIRDROP_CHUNK_RECIPIENTS);
          const chunkIndex = offset / AIRDROP_CHUNK_RECIPIENTS;
          await tx.query(
            "INSERT INTO mint_chunks (job_id, chunk_index, recipient, quantity, recipients, state) VALUES ($1, $2, NULL, $3, $4, 'pending')",
            [jobId, chunkIndex, chunk.length, JSON.stringify(chunk)],
          );
          for (let index = 0; index < chunk.length; index++) {
            chunkIndexes.push(chunkIndex);
            indexesInChunk.push(index);
          }
        }
        await tx.query(
          `UPDATE claim_codes c SET job_id = $1, chunk_index = u.chunk_index, index_in_chunk = u.index_in_chunk
           FROM unnest($2::text[], $3::int[], $4::int[]) AS u(code_sha256, chunk_index, index_in_chunk)
           WHERE c.code_sha256 = u.code_sha256`,
          [jobId, codes.map((code) => code.code_sha256), chunkIndexes, indexesInChunk],
        );
        return { jobId, sender, codes: codes.length };
      });
      if (job) jobs.push(job);
    } catch (error) {
      failures.push({ collection: edition.collection_address, editionId: edition.edition_id, error });
    }
  }
  return { jobs, failures };
}
