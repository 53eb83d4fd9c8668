/**
 * Why the verifier could not run (as opposed to a check that ran and failed, which is a report entry).
 * The codes are the platform's error codes of the same meaning, so the platform maps them one to one
 * (server/audit/fromVerifierError.ts) and a CLI user sees the same names the API uses.
 */
const MESSAGES = {
  BLOCK_HASH_MISMATCH: "The block does not hash to its CID {cid}",
  BUNDLE_INVALID: "Not a Vermilion provenance bundle: {reason}",
  BUNDLE_INCOMPLETE: "The provenance bundle does not hold the answer to {question}",
  CAR_INVALID: "Not a valid CAR: {reason}",
  CHAIN_UNAVAILABLE: "The chain's RPC endpoint is unavailable: {reason}",
  CONTENT_NOT_FOUND: "No content for {cid} in this store",
  EDITION_NOT_FOUND: "Edition {editionId} of {collection} not found",
  IPFS_NODE_UNAVAILABLE: "The IPFS node failed: {reason}",
  NOT_FOUND: "{resource} not found",
  UNSUPPORTED_HASH: "Unsupported multihash {code}",
} as const;

export type VerifierErrorCode = keyof typeof MESSAGES;

export type VerifierErrorDetails = Record<string, string | number | boolean | null>;

export class VerifierError extends Error {
  override readonly name = "VerifierError";

  constructor(
    readonly code: VerifierErrorCode,
    readonly details: VerifierErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(
      MESSAGES[code].replace(/\{(\w+)\}/g, (placeholder, key: string) => (details[key] === undefined ? placeholder : String(details[key]))),
      options,
    );
  }
}

/**
 * Whether `error` carries `code`: a VerifierError, or an error of the embedding platform with the same
 * code (a content source the platform plugs in throws its own error type).
 */
export function hasErrorCode(error: unknown, code: VerifierErrorCode): error is Error & { code: VerifierErrorCode } {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}

export function isVerifierError(error: unknown): error is VerifierError {
  return error instanceof VerifierError;
}
