/**
 * Why a proof-carrying bundle was refused: each code names the kind of data that failed, and the details
 * name which one (a block number, a transaction index, a CID), so an auditor can see what was altered.
 */
export const BUNDLE_PROOF_MESSAGES = {
  BUNDLE_HEADER_INVALID: "Block {block}'s header in the bundle is not a valid RLP block header: {reason}",
  BUNDLE_HEADER_HASH_MISMATCH: "Block {block}'s header in the bundle hashes to {actual}, not {expected}",
  BUNDLE_HEADER_CHAIN_BROKEN: "Block {block}'s header does not name block {parent}'s header as its parent: the bundle's headers are not one chain",
  BUNDLE_PINNED_BLOCK_UNTRUSTED: "The bundle's pinned block {block} is {actual}, not the trusted block {expected}",
  BUNDLE_HEADER_MISSING: "The bundle holds no header for block {block}, which the verification relies on",
  BUNDLE_RECEIPTS_ROOT_MISMATCH: "Block {block}'s receipts in the bundle build a trie with root {actual}, not the header's receiptsRoot {expected}",
  BUNDLE_TRANSACTIONS_ROOT_MISMATCH: "Block {block}'s transactions in the bundle build a trie with root {actual}, not the header's transactionsRoot {expected}",
  BUNDLE_RECEIPT_INVALID: "Receipt {index} of block {block} in the bundle is not a valid EIP-2718 receipt: {reason}",
  BUNDLE_TRANSACTION_INVALID: "Transaction {index} of block {block} in the bundle is not a valid signed transaction: {reason}",
  BUNDLE_LOGS_INCOMPLETE: "The bundle cannot prove the logs of block {block} complete: {reason}",
  BUNDLE_CLAIM_UNPROVEN: "The bundle proves no answer to {question}, and its maker did not declare it unproven",
  BUNDLE_STATE_PROOF_INVALID: "The bundle's state proofs do not verify against block {block}'s stateRoot: {detail}",
  BUNDLE_HAS_NO_PROOFS: "A version {version} bundle carries no proofs: it cannot be verified against a trusted block",
} as const;

export type BundleProofCode = keyof typeof BUNDLE_PROOF_MESSAGES;

export type BundleProofDetails = Record<string, string | number>;

/**
 * `code` is one of BUNDLE_PROOF_MESSAGES' or a code of the state-proof library (BUNDLE_STATE_…, BUNDLE_CODE_…), whose
 * failures carry their own `detail`.
 */
export class BundleProofError extends Error {
  override readonly name = "BundleProofError";

  constructor(
    readonly code: BundleProofCode | `BUNDLE_${string}`,
    readonly details: BundleProofDetails = {},
    options?: { cause?: unknown },
  ) {
    const template: string = (BUNDLE_PROOF_MESSAGES as Record<string, string>)[code] ?? "{detail}";
    super(
      template.replace(/\{(\w+)\}/g, (placeholder, key: string) => (details[key] === undefined ? placeholder : String(details[key]))),
      options,
    );
  }
}

export function isBundleProofError(error: unknown): error is BundleProofError {
  return error instanceof BundleProofError;
}
