import type { Hex } from "viem";
import type { ChainReader, RecordedAnswer } from "../chainReader.js";
import type { CheckResult } from "../report.js";
import type { ChainProofs, ProvenChain } from "./chainProofs.js";
import type { ProvenStateReader, StateProofsLibrary } from "./provenState.js";

import { failed, passed } from "../report.js";
import { BundleProofError } from "./bundleProofError.js";
import { createProvenChainReader, provenChainId } from "./createProvenChainReader.js";
import { stateContextOf } from "./stateContextOf.js";
import { stateProofsLibrary } from "./stateProofsLibrary.js";
import { verifyChainProofs } from "./verifyChainProofs.js";

export interface OpenBundleProofsParameters {
  proofs: ChainProofs;
  /** The pinned block as the bundle names it. */
  pinned: { number: bigint; hash: Hex };
  /** The bundle's claimed chain id: used only for the calls' context when no transaction proves one. */
  chainId: number;
  answers: readonly RecordedAnswer[];
  /** The block hash the reader trusts (--trust-block). */
  trustedHash?: Hex;
  /** The state-proof library (this package's by default); null leaves the bundle's calls and code reads unproven. */
  stateProofs?: StateProofsLibrary | null;
}

export interface OpenBundleProofsReturnType {
  /** Answers only from proven data (and from claims the maker declared unproven, which `check` lists). */
  chain: ChainReader;
  proven: ProvenChain;
  /** The `bundle.proofs` check, as of the questions asked so far: call it after the verification. */
  check(): CheckResult;
}

const NAME = "bundle.proofs";

/**
 * Verifies a version 3 bundle's proofs (throwing a BundleProofError naming the first header, block or
 * state proof that fails) and gives the proven chain reader the checks run on, and the `bundle.proofs`
 * check that says what the verdict trusted.
 */
export async function openBundleProofs(parameters: OpenBundleProofsParameters): Promise<OpenBundleProofsReturnType> {
  const proven = await verifyChainProofs({
    proofs: parameters.proofs,
    pinned: parameters.pinned,
    ...(parameters.trustedHash !== undefined ? { trustedHash: parameters.trustedHash } : {}),
  });
  const stateProofs = parameters.stateProofs === undefined ? stateProofsLibrary : parameters.stateProofs;
  let state: ProvenStateReader | null = null;
  let stateMissingReason = "the bundle holds no state proofs";
  let stateStatus = "absent";
  if (parameters.proofs.state !== null && parameters.proofs.state !== undefined) {
    if (!stateProofs) {
      stateMissingReason = "this verifier was built without the state-proof library";
    } else {
      const verified = await stateProofs.verify(parameters.proofs.state, stateContextOf(proven.pinned, provenChainId(proven) ?? parameters.chainId));
      if (!verified.ok) {
        const code = verified.code.startsWith("BUNDLE_") ? (verified.code as `BUNDLE_${string}`) : "BUNDLE_STATE_PROOF_INVALID";
        throw new BundleProofError(code, {
          block: proven.pinned.number.toString(),
          detail: verified.detail,
          ...(verified.address ? { address: verified.address } : {}),
          ...(verified.slot ? { slot: verified.slot } : {}),
        });
      }
      state = verified.state;
      stateStatus = "verified";
    }
  }
  const reader = createProvenChainReader({ chain: proven, state, stateMissingReason, answers: parameters.answers, declaredUnproven: parameters.proofs.unproven });

  const check = (): CheckResult => {
    const unproven = reader.unprovenClaims();
    const evidence = {
      anchor: { blockNumber: proven.pinned.number.toString(), blockHash: proven.anchor.hash, source: proven.anchor.source === "trusted" ? "--trust-block" : "the bundle" },
      headers: { from: proven.firstBlock.toString(), to: proven.pinned.number.toString(), count: proven.headers.size },
      blockBodies: [...proven.bodies.keys()].map((number) => number.toString()),
      stateProofs: stateStatus,
      provenAnswers: reader.provenAnswers(),
      unproven,
    };
    const block = `block ${proven.pinned.number} (${proven.anchor.hash})`;
    if (proven.anchor.source === "trusted") {
      if (unproven.length > 0) {
        return failed(NAME, "BUNDLE_CLAIMS_UNPROVEN", `${unproven.length} of the answers this verification used are not proven from the trusted ${block}, only claimed by the bundle's maker (first: ${unproven[0]!.question.slice(0, 120)}: ${unproven[0]!.reason}).`, evidence);
      }
      return passed(NAME, `Every chain answer this verification used (${reader.provenAnswers()}) is proven from the trusted ${block} by headers, block tries and state proofs: nothing of the bundle's maker is trusted.`, evidence);
    }
    const also = unproven.length > 0 ? `, and ${unproven.length} answers only the maker claims` : "";
    return passed(NAME, `Every proven answer rests on ${block}, which the bundle names and no --trust-block confirmed: this verdict trusts the bundle's maker for that hash${also}.`, evidence);
  };
  return { chain: reader.reader, proven, check };
}
