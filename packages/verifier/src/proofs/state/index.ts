/** State proofs: collect eth_getProof proofs for a set of calls, check them, answer the calls offline. */
export { collectStateProofs, headerContextFromRpcBlock } from "./collectStateProofs.js";
export type { StateQuestions } from "./collectStateProofs.js";
export type { CreateProvenStateOptions } from "./createProvenState.js";
export { isUnproven, stateProofsSchema } from "./stateProofs.js";
export type {
  AccountStateProof,
  CallResult,
  ProvenHeaderContext,
  ProvenState,
  StateProofFailure,
  StateProofFailureCode,
  StateProofs,
  Unproven,
  UnprovenAccess,
} from "./stateProofs.js";
export { verifyStateProofs } from "./verifyStateProofs.js";
