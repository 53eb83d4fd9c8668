import type { Address, Hex } from "viem";
import type { CallResult } from "../../chainReader.js";

import { z } from "zod";

/**
 * The state a set of `eth_call`s and `eth_getCode`s read at one block, as `eth_getProof` (EIP-1186) proves
 * it: the accounts and, per account, the storage slots read, with the trie nodes of all their proofs pooled
 * once each (10,000 serials' exclusion proofs share nearly every node; per-proof lists repeat them
 * thousands of times), and the runtime code of every account whose code was run or asked for. Plain JSON
 * (hex strings), so a bundle can carry it. It claims no values: nonce, balance, storage root, code hash
 * and every slot's value are read out of the trie when it is checked, so there is nothing to disagree with.
 */
export interface StateProofs {
  version: 1;
  /** The block the proofs are against, decimal; must be the number of the header they are checked with. */
  blockNumber: string;
  /** The accounts proven (present or absent), and the slots proven of each. */
  accounts: AccountStateProof[];
  /**
   * RLP trie nodes, each once: every node on the path from the state root to each account and from that
   * account's storage root to each of its slots (the union of the eth_getProof proofs). Looked up by their
   * keccak, so order does not matter and a node that is not on a path proves nothing.
   */
  nodes: Hex[];
  /** Runtime code, checked against the proven account's codeHash. */
  codes: Array<{ address: Address; code: Hex }>;
}

export interface AccountStateProof {
  /** Lowercase. */
  address: Address;
  /** 32-byte slots, lowercase. */
  slots: Hex[];
}

const hex = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, "hex bytes");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "20-byte address");
const slot = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "32-byte slot");

/** The edge check for state proofs read from a bundle (untrusted input). */
export const stateProofsSchema = z.object({
  version: z.literal(1),
  blockNumber: z.string().regex(/^(0|[1-9][0-9]*)$/, "decimal block number"),
  accounts: z.array(z.object({ address, slots: z.array(slot) })),
  nodes: z.array(hex),
  codes: z.array(z.object({ address, code: hex })),
});

/**
 * What the proofs are checked against and what calls run in: the pinned block's header fields (an
 * `eth_call` at block N runs in block N's context, e.g. `locked()` reads `block.timestamp`). Comes from a
 * header whose hash the reader trusts.
 */
export interface ProvenHeaderContext {
  stateRoot: Hex;
  number: bigint;
  /** Unix seconds. */
  timestamp: bigint;
  baseFeePerGas?: bigint;
  coinbase: Address;
  gasLimit: bigint;
  /** `mixHash` of a post-merge header (PREVRANDAO). */
  prevRandao: Hex;
  /** For BLOBBASEFEE; a call that reads it without this is unproven. */
  excessBlobGas?: bigint;
  chainId: number;
}

export type { CallResult };

/**
 * An answer the proofs do not cover: the call (or code read) needed an account, slot, code or block
 * fact that no checked proof gives. Never a guess (an unproven slot is not read as zero). Has no `ok`,
 * so TypeScript makes a caller tell it apart (`"unproven" in result`) before reading a call's outcome.
 */
export interface Unproven {
  unproven: true;
  code: "STATE_UNPROVEN";
  /** What was missing: an account, a storage slot of it, its code, or a block fact (BLOCKHASH, BLOBBASEFEE). */
  missing: UnprovenAccess;
  detail: string;
}

export type UnprovenAccess =
  | { kind: "account"; address: Address }
  | { kind: "storage"; address: Address; slot: Hex }
  | { kind: "code"; address: Address }
  | { kind: "blockHash"; blockNumber: bigint }
  | { kind: "blobBaseFee" };

/** Calls and code answered offline from checked proofs only. Calls run one at a time (one EVM). */
export interface ProvenState {
  readonly blockNumber: bigint;
  /** `eth_call` from the zero address at the pinned block, executed offline. */
  call(to: Address, data: Hex): Promise<CallResult | Unproven>;
  /** Runtime code at the pinned block ("0x" for an account proven to have none or not to exist). */
  getCode(address: Address): Promise<Hex | Unproven>;
}

/** Why a set of state proofs was refused; `code` names the kind, `address`/`slot` where. */
export interface StateProofFailure {
  ok: false;
  code: StateProofFailureCode;
  detail: string;
  address?: Address;
  slot?: Hex;
}

export type StateProofFailureCode =
  /** Not the shape of StateProofs (the field is named in `detail`). */
  | "BUNDLE_STATE_PROOFS_MALFORMED"
  /** The proofs are for another block than the header's. */
  | "BUNDLE_STATE_PROOF_BLOCK_MISMATCH"
  /** The nodes do not lead from the state root to an account, or from its storage root to a slot: a node on the path is missing or altered. */
  | "BUNDLE_STATE_PROOF_INVALID"
  /** A runtime code whose keccak is not the proven account's codeHash. */
  | "BUNDLE_CODE_HASH_MISMATCH"
  /** A runtime code for an account that no account proof covers. */
  | "BUNDLE_CODE_ACCOUNT_UNPROVEN";

export function isUnproven(value: unknown): value is Unproven {
  return typeof value === "object" && value !== null && (value as { unproven?: unknown }).unproven === true;
}
