import type { Address } from "viem";
import type { EditionFacts, VerificationSession } from "./createVerificationSession.js";
import type { CheckResult } from "./report.js";

import { CID } from "multiformats/cid";
import { getAddress, isAddress } from "viem";
import { z } from "zod";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { PROVENANCE_KEY } from "./shared/provenanceKey.js";
import { readVerifiedFile } from "./content/readVerifiedFile.js";
import { sha256Hex } from "./content/sha256Hex.js";
import { readContract } from "./readContract.js";
import { DEFAULT_ADMIN_ROLE, ISSUER_ROLE } from "./roleHistory.js";
import { failed, passed, skipped } from "./report.js";

const NAME = "metadata.content";
const MAX_METADATA_BYTES = 1_048_576;

/** The ERC-721 metadata JSON schema (name, description, image as strings), plus what marketplaces read. */
const erc721MetadataSchema = z.object({
  name: z.string(),
  description: z.string(),
  image: z.string(),
  animation_url: z.string().optional(),
  external_url: z.string().optional(),
  attributes: z
    .array(z.object({ trait_type: z.string().optional(), value: z.union([z.string(), z.number(), z.boolean()]) }).loose())
    .optional(),
});

/** Vermilion's provenance object inside every document (server/storage/metadata/tokenMetadata.ts). */
const provenanceSchema = z.object({
  collection: z.string(),
  editionId: z.string(),
  serial: z.number().int(),
  maxSupply: z.number().int(),
  issuer: z.string(),
  mediaCid: z.string(),
  mediaSha256: z.string(),
});

export interface CheckMetadataContentParameters {
  tokenId: bigint;
  editionId: bigint;
  serial: number;
  edition: EditionFacts;
  /** A burned token has no tokenURI; its document is read from the edition's metadata directory. */
  burned: boolean;
}

/**
 * tokenURI → the document's bytes, every block hashed against its CID (never trusting the source), the
 * file CID recomputed, the JSON checked against the ERC-721 metadata schema, and our provenance fields
 * compared with the chain: edition, serial, max supply, issuer (held the admin or issuer role), media CID and
 * the content SHA-256 committed at edition creation.
 */
export async function checkMetadataContent(session: VerificationSession, parameters: CheckMetadataContentParameters): Promise<CheckResult> {
  const { tokenId, editionId, serial, edition } = parameters;
  const view = edition.view;
  if (!view) return skipped(NAME, `Edition ${editionId} does not exist on chain, so there is no metadata to check.`);
  const expectedUri = `ipfs://${view.metadataCid}/${serial}.json`;
  const evidence: Record<string, unknown> = { metadataCid: view.metadataCid, expectedTokenUri: expectedUri };
  const fail = (code: string, detail: string) => failed(NAME, code, detail, evidence);

  if (!parameters.burned) {
    const uri = await readContract(session.deps.chain, { address: session.contract, abi: vermilionCollectionAbi, functionName: "tokenURI", args: [tokenId] });
    evidence.tokenUri = uri.ok ? uri.value : null;
    if (!uri.ok || uri.value !== expectedUri) {
      return fail("TOKEN_URI_MISMATCH", `tokenURI(${tokenId}) is ${uri.ok ? uri.value : "a revert"}, not ${expectedUri}.`);
    }
  }

  let rootCid: CID;
  try {
    rootCid = CID.parse(view.metadataCid);
  } catch {
    return fail("METADATA_CID_INVALID", `The edition's metadata CID ${view.metadataCid} is not a CID.`);
  }
  const file = await readVerifiedFile(session.deps.content, { rootCid, path: `${serial}.json`, maxBytes: MAX_METADATA_BYTES });
  if (!file.ok) {
    if (file.kind === "cidMismatch") return fail("METADATA_CID_MISMATCH", `Metadata bytes do not match their CID: ${file.detail}.`);
    return fail("METADATA_UNAVAILABLE", `The metadata document could not be read: ${file.detail}.`);
  }
  evidence.documentCid = file.fileCid;
  evidence.recomputedCid = file.recomputedCid;
  evidence.documentSha256 = (await sha256Hex(file.bytes)).slice(2);
  if (file.recomputedCid !== file.fileCid) {
    return fail("METADATA_CID_MISMATCH", `The document's CID recomputed from its bytes is ${file.recomputedCid}, not ${file.fileCid}.`);
  }

  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(file.bytes));
  } catch {
    return fail("METADATA_SCHEMA_INVALID", `${serial}.json is not JSON.`);
  }
  const metadata = erc721MetadataSchema.safeParse(document);
  if (!metadata.success) {
    const issue = metadata.error.issues[0]!;
    return fail("METADATA_SCHEMA_INVALID", `${serial}.json breaks the ERC-721 metadata schema at ${issue.path.join(".") || "the top"}: ${issue.message}.`);
  }
  const provenance = provenanceSchema.safeParse((document as Record<string, unknown>)[PROVENANCE_KEY]);
  if (!provenance.success) {
    const issue = provenance.error.issues[0]!;
    return fail("METADATA_SCHEMA_INVALID", `${serial}.json lacks a valid "${PROVENANCE_KEY}" object (${issue.path.join(".") || "missing"}: ${issue.message}).`);
  }
  const fields = provenance.data;
  evidence.provenance = fields;

  const mediaUri = `ipfs://${view.mediaCid}`;
  // Version 1 reports named the platform's issuing key here. From version 2 the metadata names the issuer
  // (its admin address when the edition was made: the custodial key, or the wallet), which may since have
  // handed its roles on (custody taken), so the named account must have held the collection's admin or
  // issuing role at some point of its history, not now.
  const issuerHoldsRole =
    isAddress(fields.issuer, { strict: false }) &&
    (session.reportVersion >= 2
      ? (await session.roles()).changes.some(
          (change) => change.granted && change.account === getAddress(fields.issuer) && (change.role === DEFAULT_ADMIN_ROLE || change.role === ISSUER_ROLE),
        )
      : await session.hasIssuerRole(getAddress(fields.issuer) as Address));
  const mismatches = [
    fields.collection.toLowerCase() !== session.contract.toLowerCase() && `collection ${fields.collection} is not ${session.contract}`,
    fields.editionId !== editionId.toString() && `editionId ${fields.editionId} is not ${editionId}`,
    fields.serial !== serial && `serial ${fields.serial} is not ${serial}`,
    BigInt(fields.maxSupply) !== view.maxSupply && `maxSupply ${fields.maxSupply} is not ${view.maxSupply} on chain`,
    fields.mediaCid !== view.mediaCid && `mediaCid ${fields.mediaCid} is not ${view.mediaCid} on chain`,
    `0x${fields.mediaSha256.toLowerCase()}` !== (edition.createdSha256 ?? view.contentSha256) &&
      `mediaSha256 ${fields.mediaSha256} is not the on-chain commitment ${edition.createdSha256 ?? view.contentSha256}`,
    !issuerHoldsRole &&
      (session.reportVersion >= 2
        ? `issuer ${fields.issuer} never held the collection's admin or issuer role`
        : `issuer ${fields.issuer} does not hold the collection's issuer role`),
    metadata.data.image !== mediaUri && metadata.data.animation_url !== mediaUri && `neither image nor animation_url is ${mediaUri}`,
  ].filter((mismatch): mismatch is string => typeof mismatch === "string");
  if (mismatches.length > 0) {
    evidence.mismatches = mismatches;
    return fail("METADATA_PROVENANCE_MISMATCH", `The metadata's provenance disagrees with the chain: ${mismatches.join("; ")}.`);
  }
  return passed(NAME, `${serial}.json matches its CID ${file.fileCid}, the ERC-721 schema and the on-chain edition.`, evidence);
}
