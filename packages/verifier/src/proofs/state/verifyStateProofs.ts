import type { Account } from "@ethereumjs/util";
import type { Address, Hex } from "viem";
import type { CreateProvenStateOptions } from "./createProvenState.js";
import type { VerifiedState } from "./provenStateManager.js";
import type { ProvenHeaderContext, ProvenState, StateProofFailure } from "./stateProofs.js";

import { MerklePatriciaTrie, updateMPTFromMerkleProof } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { KECCAK256_RLP, createAccountFromRLP, equalsBytes, hexToBytes } from "@ethereumjs/util";
import { bytesToHex, keccak256 } from "viem";

import { createProvenState } from "./createProvenState.js";
import { stateProofsSchema } from "./stateProofs.js";

/**
 * The value under `key` in the trie rooted at `root`, walking only the pooled nodes (each stored under its
 * own keccak, so a missing or altered node on the path breaks the walk): null when the walk proves the key
 * absent, undefined when it cannot be completed.
 */
async function provenValue(trie: MerklePatriciaTrie, root: Uint8Array, key: Uint8Array): Promise<Uint8Array | null | undefined> {
  trie.root(root);
  try {
    return await trie.get(key, true);
  } catch {
    return undefined;
  }
}

/**
 * Checks the state proofs against the header: every account against the stateRoot, every slot against its
 * account's storageRoot (@ethereumjs/mpt over the pooled eth_getProof nodes), every code against its
 * account's codeHash; the first that does not hold fails the set, with a code naming what and an address
 * (and slot) naming where. What holds becomes a ProvenState that answers calls offline from it alone.
 */
export async function verifyStateProofs(
  input: unknown,
  header: ProvenHeaderContext,
  options: CreateProvenStateOptions = {},
): Promise<{ ok: true; state: ProvenState } | StateProofFailure> {
  const parsed = stateProofsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: "BUNDLE_STATE_PROOFS_MALFORMED", detail: `${issue?.path.join(".") || "state proofs"}: ${issue?.message ?? "invalid"}` };
  }
  const proofs = parsed.data;
  if (BigInt(proofs.blockNumber) !== header.number) {
    return { ok: false, code: "BUNDLE_STATE_PROOF_BLOCK_MISMATCH", detail: `the state proofs are for block ${proofs.blockNumber}, the header is block ${header.number}` };
  }

  const trie = new MerklePatriciaTrie({ useKeyHashing: true });
  await updateMPTFromMerkleProof(trie, proofs.nodes.map((node) => hexToBytes(node as Hex)));
  const stateRoot = hexToBytes(header.stateRoot);
  const verified: VerifiedState = { accounts: new Map(), storage: new Map(), codes: new Map() };
  for (const entry of proofs.accounts) {
    const address = entry.address.toLowerCase() as Address;
    const value = await provenValue(trie, stateRoot, hexToBytes(address));
    if (value === undefined) {
      return { ok: false, code: "BUNDLE_STATE_PROOF_INVALID", address, detail: `the proof nodes do not lead from state root ${header.stateRoot} to account ${address}` };
    }
    let account: Account | null;
    try {
      account = value === null ? null : createAccountFromRLP(value);
    } catch {
      return { ok: false, code: "BUNDLE_STATE_PROOF_INVALID", address, detail: `the proof of ${address} ends in a leaf that is not an account` };
    }
    verified.accounts.set(address, account);

    const storageRoot = account?.storageRoot ?? KECCAK256_RLP;
    const slots = verified.storage.get(address) ?? new Map<string, Uint8Array>();
    verified.storage.set(address, slots);
    for (const key of entry.slots) {
      const slot = key.toLowerCase() as Hex;
      const leaf = await provenValue(trie, storageRoot, hexToBytes(slot));
      if (leaf === undefined) {
        return {
          ok: false,
          code: "BUNDLE_STATE_PROOF_INVALID",
          address,
          slot,
          detail: `the proof nodes do not lead from the storage root ${bytesToHex(storageRoot)} of ${address} to slot ${slot}`,
        };
      }
      let slotValue: Uint8Array;
      try {
        // A storage leaf is the RLP of the value without leading zeros.
        const decoded = leaf === null ? new Uint8Array(0) : RLP.decode(leaf);
        if (!(decoded instanceof Uint8Array)) throw new Error("not a byte string");
        slotValue = decoded;
      } catch {
        return { ok: false, code: "BUNDLE_STATE_PROOF_INVALID", address, slot, detail: `the proof of slot ${slot} of ${address} ends in a leaf that is not a value` };
      }
      slots.set(slot, slotValue);
    }
  }

  for (const { address: rawAddress, code } of proofs.codes) {
    const address = rawAddress.toLowerCase() as Address;
    const account = verified.accounts.get(address);
    if (account === undefined) {
      return { ok: false, code: "BUNDLE_CODE_ACCOUNT_UNPROVEN", address, detail: `the code of ${address} comes with no account proof to check its hash against` };
    }
    const bytes = hexToBytes(code as Hex);
    const codeHash = keccak256(bytes, "bytes");
    const expected = account?.codeHash;
    if (expected === undefined ? bytes.length > 0 : !equalsBytes(codeHash, expected)) {
      return {
        ok: false,
        code: "BUNDLE_CODE_HASH_MISMATCH",
        address,
        detail: `the code given for ${address} hashes to ${bytesToHex(codeHash)}, its proven codeHash is ${expected ? bytesToHex(expected) : "none (no account)"}`,
      };
    }
    verified.codes.set(address, bytes);
  }

  return { ok: true, state: await createProvenState(verified, header, options) };
}
