/**
 * vermilion-verify: re-derives a Vermilion token's (or a whole edition's) record from an Ethereum JSON-RPC
 * endpoint and IPFS bytes (a gateway or a CAR) and reports, check by check, whether chain, content and
 * (optionally) the platform's API agree. Runs in Node and in browsers. docs/verification.md in the
 * repository explains every check and what each mode trusts.
 */
export type { CallResult, ChainBlock, ChainLog, ChainReader, ChainReceipt, ChainTransaction } from "./chainReader.js";
export type { ContentSource } from "./content/contentSource.js";
export type { ApiProvenanceSource, VerificationDeps, VerificationSession } from "./createVerificationSession.js";
export type { CheckResult, EditionReport, PinnedBlock, ReportVersion, TokenReport, VerificationReport } from "./report.js";
export type { ProvenanceBundle } from "./bundle/provenanceBundle.js";
export type { ChainProofs } from "./proofs/chainProofs.js";
export type { ProvenHeaderContext, ProvenStateReader, StateProofsLibrary } from "./proofs/provenState.js";

export { buildProvenanceBundle } from "./bundle/buildProvenanceBundle.js";
export { crossCheckBundle } from "./bundle/crossCheckBundle.js";
export { openProvenanceBundle } from "./bundle/openProvenanceBundle.js";
export { BundleProofError, isBundleProofError } from "./proofs/bundleProofError.js";
export { collectChainProofs } from "./proofs/collectChainProofs.js";
export { createProvenChainReader } from "./proofs/createProvenChainReader.js";
export { checkReportSignature } from "./checkReportSignature.js";
export { createCarContentSource } from "./content/createCarContentSource.js";
export { createGatewayContentSource } from "./content/createGatewayContentSource.js";
export { createHttpApiProvenanceSource } from "./createHttpApiProvenanceSource.js";
export { createRpcChainReader } from "./createRpcChainReader.js";
export { createVerificationSession } from "./createVerificationSession.js";
export { REPORT_VERSION } from "./report.js";
export { serializeReport, signedPayload } from "./serializeReport.js";
export { signReport } from "./signReport.js";
export { VerifierError, isVerifierError } from "./verifierError.js";
export { verifyEdition } from "./verifyEdition.js";
export { verifyToken } from "./verifyToken.js";
