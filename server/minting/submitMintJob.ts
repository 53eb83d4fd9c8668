import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { WriteLocks } from "../cluster/createWriteLock.js";
import type { Database } from "../db/Database.js";
import type { IssuerKeyring } from "../issuers/accounts/createIssuerKeyring.js";

import { createHash, randomUUID } from "node:crypto";

import { keccak256, toBytes } from "viem";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { VermilionError } from "../errors/VermilionError.js";
import { findCollectionSigner } from "../issuers/accounts/findCollectionSigner.js";
import { checkEditionSupply } from "../supply/checkEditionSupply.js";
import { lockEditionSupply } from "../supply/lockEditionSupply.js";

/** Tokens per `mint` transaction and recipients per `airdrop` transaction: well inside a 30M-gas block. */
export const MINT_CHUNK_TOKENS = 500;
export const AIRDROP_CHUNK_RECIPIENTS = 200;

export type MintRequest = { kind: "mint"; to: Address; quantity: number } | { kind: "airdrop"; recipients: Address[] };

export interface SubmitMintJobParameters {
  issuerId: string;
  collection: Address;
  editionId: bigint;
  idempotencyKey: string;
  request: MintRequest;
}

export interface SubmitMintJobReturnType {
  jobId: string;
  /** False when the idempotency key returned an existing job. */
  created: boolean;
  /** The key that sends the job (its sender is the one to wake). */
  sender: Address;
}

export interface SubmitMintJobDependencies {
  db: Database;
  chain: ChainClients;
  issuerKeyring: IssuerKeyring;
  writeLocks: WriteLocks;
}

/** The collection's issuing role (`VermilionCollection.ISSUER_ROLE`), a constant of the contract. */
const ISSUER_ROLE = keccak256(toBytes("ISSUER_ROLE"));

/** What an idempotency key is bound to. JSON has no bigint, so the edition id is hashed as its decimal string. */
function requestSha256(parameters: SubmitMintJobParameters): string {
  const canonical = JSON.stringify({
    collection: parameters.collection,
    editionId: parameters.editionId.toString(),
    request: parameters.request,
  });
  return createHash("sha256").update(canonical).digest("hex");
}

function tokensOf(request: MintRequest): number {
  return request.kind === "mint" ? request.quantity : request.recipients.length;
}

function chunksOf(request: MintRequest): Array<{ recipient: Address | null; quantity: number; recipients: Address[] | null }> {
  const chunks = [];
  if (request.kind === "mint") {
    for (let offset = 0; offset < request.quantity; offset += MINT_CHUNK_TOKENS) {
      chunks.push({ recipient: request.to, quantity: Math.min(MINT_CHUNK_TOKENS, request.quantity - offset), recipients: null });
    }
  } else {
    for (let offset = 0; offset < request.recipients.length; offset += AIRDROP_CHUNK_RECIPIENTS) {
      const recipients = request.recipients.slice(offset, offset + AIRDROP_CHUNK_RECIPIENTS);
      chunks.push({ recipient: null, quantity: recipients.length, recipients });
    }
  }
  return chunks;
}

/**
 * Accepts a mint request as a durable job, before anything is signed, for the collection's issuing key
 * (`findCollectionSigner`: its operating key, or the platform's for a collection made before issuer
 * accounts), which is the job's `sender`. A key that no longer holds the collection's issuing role is
 * refused with ISSUER_KEY_REVOKED and nothing is written. The same idempotency key with the same
 * request returns the existing job; with another request it is refused. Supply is checked
 * against the chain plus every accepted job not yet mined, under a per-edition lock, so concurrent
 * requests never accept more tokens than the edition has left (EDITION_SOLD_OUT).
 */
export async function submitMintJob(
  deps: SubmitMintJobDependencies,
  parameters: SubmitMintJobParameters,
): Promise<SubmitMintJobReturnType> {
  const { db, chain } = deps;
  const chainId = BigInt(chain.chainId);
  const hash = requestSha256(parameters);
  const requested = tokensOf(parameters.request);

  const existing = async () => {
    const { rows } = await db.query<{ job_id: string; request_sha256: string; sender: Address }>(
      "SELECT job_id, request_sha256, sender FROM mint_jobs WHERE issuer_id = $1 AND idempotency_key = $2",
      [parameters.issuerId, parameters.idempotencyKey],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_sha256 !== hash) {
      throw new VermilionError("IDEMPOTENCY_KEY_REUSED", { key: parameters.idempotencyKey });
    }
    return { jobId: row.job_id, created: false, sender: row.sender };
  };
  const earlier = await existing();
  if (earlier) return earlier;

  const signer = await findCollectionSigner(deps, { collection: parameters.collection, role: "issuing" });
  const sender = signer.account.address;
  const holdsIssuerRole = await chain.publicClient
    .readContract({ address: parameters.collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [ISSUER_ROLE, sender] })
    .catch((cause: unknown) => {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    });
  if (!holdsIssuerRole) throw new VermilionError("ISSUER_KEY_REVOKED", { operatingKey: sender, collection: parameters.collection });

  const jobId = randomUUID();
  const inserted = await db.transaction(async (tx) => {
    await lockEditionSupply(tx, chain.chainId, parameters.collection, parameters.editionId);
    const { rows: conflicts } = await tx.query(
      "SELECT 1 FROM mint_jobs WHERE issuer_id = $1 AND idempotency_key = $2",
      [parameters.issuerId, parameters.idempotencyKey],
    );
    if (conflicts.length > 0) return false;
    await checkEditionSupply(tx, chain, { collection: parameters.collection, editionId: parameters.editionId, requested });
    await tx.query(
      `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state, sender)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10)`,
      [
        jobId,
        chainId,
        parameters.issuerId,
        parameters.collection,
        parameters.editionId,
        parameters.request.kind,
        parameters.idempotencyKey,
        hash,
        requested,
        sender,
      ],
    );
    for (const [index, chunk] of chunksOf(parameters.request).entries()) {
      await tx.query(
        `INSERT INTO mint_chunks (job_id, chunk_index, recipient, quantity, recipients, state) VALUES ($1, $2, $3, $4, $5, 'pending')`,
        [jobId, index, chunk.recipient, chunk.quantity, chunk.recipients ? JSON.stringify(chunk.recipients) : null],
      );
    }
    return true;
  });
  if (inserted) return { jobId, created: true, sender };
  // Another request with the same key won the race; answer with its job.
  const winner = await existing();
  if (!winner) throw new VermilionError("INTERNAL", {}, { cause: new Error("idempotency race lost without a winner") });
  return winner;
}
