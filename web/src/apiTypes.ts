/**
 * The API's answers as the front end reads them. The server declares each wire shape in server/views/
 * (data-only modules, imported here as types and erased by the build), and the verifier's reports in
 * server/verifier/report.ts, so the two cannot drift apart.
 */

import type { VerificationJobView } from "../../server/audit/verificationJobView.js";
import type { CheckResult, TokenReport } from "vermilion-verify/report.js";
import type { CollectionView } from "../../server/views/collectionView.js";
import type { EditionTokensView } from "../../server/views/editionTokensView.js";
import type { CreatedEditionView, EditionSupplyView, EditionView } from "../../server/views/editionView.js";
import type { IndexedBlockView } from "../../server/views/indexedBlockView.js";
import type { IssuedByView } from "../../server/views/issuedByView.js";
import type { WhoAmIView } from "../../server/views/issuerView.js";
import type { MintJobView } from "../../server/views/mintJobView.js";
import type { AcceptedEditionJobView, EditionJobView } from "../../server/views/editionJobView.js";
import type { JobListView, JobSummaryView } from "../../server/views/jobSummaryView.js";
import type { OwnerTokensView } from "../../server/views/ownerTokensView.js";
import type { ProvenanceEntry, TokenProvenanceView } from "../../server/views/provenanceView.js";
import type { SearchView } from "../../server/views/searchView.js";
import type { TokenDetailView, TokenView } from "../../server/views/tokenView.js";

export type { ProvenanceEntry, TokenView };
export type IndexedBlock = IndexedBlockView;
export type IssuedBy = IssuedByView;
export type Collection = CollectionView;
export type MintJob = MintJobView;
export type EditionJob = EditionJobView;
export type AcceptedEditionJob = AcceptedEditionJobView;
export type JobSummary = JobSummaryView;
export type JobList = JobListView;
export type EditionTokensResponse = Omit<EditionTokensView, "indexedBlock">;
export type ProvenanceResponse = TokenProvenanceView;
export type OwnerTokensResponse = OwnerTokensView;
export type SearchResponse = SearchView;
export type WhoAmI = WhoAmIView;
export type CreatedEdition = CreatedEditionView;

/** An edition; only the single-edition route adds its supply, read from the chain. */
export type Edition = EditionView & Partial<EditionSupplyView>;

/** A serial's metadata document on IPFS (ERC-721 JSON) as the pages read it: the API passes it through. */
export interface TokenMetadataDocument {
  name?: string;
  description?: string;
  image?: string;
  animation_url?: string;
  attributes?: Array<{ trait_type: string; value: string | number; display_type?: string }>;
  localization?: { default: string; locales: string[]; uri: string };
  "vermilion:provenance"?: { issuer?: string; license?: string; mediaCid?: string; mediaSha256?: string; created?: string };
}

/** GET /api/tokens/:address/:tokenId, its metadata read as a TokenMetadataDocument. */
export type TokenResponse = TokenDetailView & { token: { metadata: TokenMetadataDocument | null } };

/** One check of a verification report (GET /api/tokens/:address/:tokenId/verify, the audit page). */
export type VerificationCheck = CheckResult;
export type VerificationReport = TokenReport;
export type VerificationJob = VerificationJobView;

/** Who holds an issuer's admin key: Vermilion for it ("custodial"), or its own wallet ("self"). */
export type IssuerCustody = "custodial" | "self";

/**
 * GET /api/issuers/me with the issuer's on-chain account: `address` is the admin of its collections,
 * `operatingAddress` the key Vermilion mints with (an admin key answers nulls).
 */
export type IssuerAccount = WhoAmI & { address: string | null; custody: IssuerCustody | null; operatingAddress: string | null };

/** EIP-712 typed data as the API gives it to sign (GET /api/issuers/me/custody-typed-data): integers as decimal strings. */
export interface TypedDataJson {
  domain: { name?: string; version?: string; chainId?: string | number; verifyingContract?: string; salt?: string };
  types: Record<string, Array<{ name: string; type: string }>>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** POST /api/issuers/me/custody: the issuer's wallet is now the admin of each of its collections. */
export interface CustodyTransfer {
  issuerId: string;
  address: string;
  custody: "self";
  operatingAddress: string | null;
  collections: Array<{ address: string; state: string }>;
}
