import type { Address, Hex, PublicClient } from "viem";
import type { CallResult } from "../chainReader.js";
import type { ProvenHeaderContext } from "./state/stateProofs.js";

export type { ProvenHeaderContext };

/** An answer the state proofs do not cover: the account or slot was not proven. Never a guess. */
export interface StateUnproven {
  unproven: true;
  detail: string;
}

/** `eth_call` and `eth_getCode` at the pinned block, answered from state proven against its stateRoot. */
export interface ProvenStateReader {
  call(to: Address, data: Hex): Promise<CallResult | StateUnproven>;
  getCode(address: Address): Promise<Hex | StateUnproven>;
}

/**
 * The state-proof library (packages/verifier/src/proofs/state, by the state helper) as the bundle uses
 * it: taken as a dependency so the bundle code does not depend on how state is proven.
 */
export interface StateProofsLibrary {
  /** Collects account, storage and code proofs for every account and slot the questions touch; JSON data. */
  collect(client: PublicClient, questions: { calls: Array<{ to: Address; data: Hex }>; codes: Address[] }, block: { number: bigint }): Promise<unknown>;
  /** Checks the proofs against the header's stateRoot; a failure names what failed (BUNDLE_STATE_PROOF_INVALID, …). */
  verify(proofs: unknown, header: ProvenHeaderContext): Promise<{ ok: true; state: ProvenStateReader } | { ok: false; code: string; detail: string; address?: Address; slot?: Hex }>;
}

export function isStateUnproven(value: unknown): value is StateUnproven {
  return typeof value === "object" && value !== null && (value as { unproven?: unknown }).unproven === true;
}
