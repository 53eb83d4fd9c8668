import type { Address, Hex, PublicClient } from "viem";
import type { CreateProvenStateOptions } from "./createProvenState.js";
import type { ProvenHeaderContext, StateProofs } from "./stateProofs.js";

import { numberToHex } from "viem";

import { VerifierError } from "../../verifierError.js";
import { isUnproven } from "./stateProofs.js";
import { verifyStateProofs } from "./verifyStateProofs.js";

export interface StateQuestions {
  /** The `eth_call`s (from the zero address) whose answers must be provable. */
  calls: Array<{ to: Address; data: Hex }>;
  /** The accounts whose runtime code must be provable. */
  codes: Address[];
}

interface RpcBlock {
  number: Hex;
  stateRoot: Hex;
  timestamp: Hex;
  baseFeePerGas?: Hex | null;
  miner: Address;
  gasLimit: Hex;
  mixHash: Hex;
  excessBlobGas?: Hex | null;
}

interface RpcProof {
  accountProof: Hex[];
  storageProof: Array<{ key: Hex; proof: Hex[] }>;
  codeHash: Hex;
}

/** Traces in flight at once: enough to hide round trips, few enough not to crowd a public endpoint. */
const TRACE_CONCURRENCY = 8;

async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Slots asked of eth_getProof at once. */
const SLOTS_PER_PROOF_REQUEST = 256;

const EMPTY_CODE_HASH = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";

/** A 32-byte slot as the proofs key it: lowercase, zero-padded (eth_getProof answers keys as asked or trimmed). */
function normalSlot(slot: Hex): Hex {
  return `0x${BigInt(slot).toString(16).padStart(64, "0")}` as Hex;
}

/** The header fields a call runs in, from a JSON-RPC block (the state helper's own check while collecting). */
export function headerContextFromRpcBlock(block: RpcBlock, chainId: number): ProvenHeaderContext {
  return {
    stateRoot: block.stateRoot,
    number: BigInt(block.number),
    timestamp: BigInt(block.timestamp),
    baseFeePerGas: block.baseFeePerGas ? BigInt(block.baseFeePerGas) : undefined,
    coinbase: block.miner,
    gasLimit: BigInt(block.gasLimit),
    prevRandao: block.mixHash,
    excessBlobGas: block.excessBlobGas ? BigInt(block.excessBlobGas) : undefined,
    chainId,
  };
}

/**
 * Collects `eth_getProof` account and storage proofs, and runtime codes, for every account and slot the
 * given calls read at `block`, and for the given code addresses. Which slots a call reads is first asked of
 * the node (`debug_traceCall` with the prestate tracer, where served), then settled by running every call
 * offline over the collected proofs exactly as a verifier will: whatever the run finds unproven is fetched
 * and the run repeated, so the set is complete for our EVM, not only for the node's tracer. The collected
 * set is checked against the block's stateRoot before it is returned.
 *
 * Throws VerifierError CHAIN_UNAVAILABLE (details.method names the request) when the endpoint cannot answer
 * (no eth_getProof, say) or answers with proofs that do not hold against its own header.
 */
export async function collectStateProofs(
  client: PublicClient,
  questions: StateQuestions,
  block: { number: bigint },
  options: CreateProvenStateOptions = {},
): Promise<StateProofs> {
  const blockTag = numberToHex(block.number);
  async function ask<T>(method: string, params: unknown[], what: string): Promise<T> {
    try {
      return (await client.request({ method: method as "eth_call", params: params as never })) as T;
    } catch (cause) {
      throw new VerifierError("CHAIN_UNAVAILABLE", { reason: `${what}: ${(cause as Error).message?.split("\n")[0] ?? String(cause)}`, method }, { cause });
    }
  }

  const [rpcBlock, chainId] = await Promise.all([
    ask<RpcBlock | null>("eth_getBlockByNumber", [blockTag, false], `block ${block.number}`),
    ask<Hex>("eth_chainId", [], "chain id"),
  ]);
  if (!rpcBlock) throw new VerifierError("CHAIN_UNAVAILABLE", { reason: `block ${block.number}: the endpoint does not know it`, method: "eth_getBlockByNumber" });
  const header = headerContextFromRpcBlock(rpcBlock, Number(BigInt(chainId)));

  /** Address → the slots wanted of it. */
  const wanted = new Map<Address, Set<Hex>>();
  const want = (address: Address, slot?: Hex) => {
    const key = address.toLowerCase() as Address;
    const slots = wanted.get(key) ?? new Set<Hex>();
    wanted.set(key, slots);
    if (slot !== undefined) slots.add(normalSlot(slot));
  };
  for (const address of questions.codes) want(address);
  for (const call of questions.calls) want(call.to);
  // The tracer is a head start (one round trip per call, then one eth_getProof per account); an endpoint
  // that does not serve it is asked once, and the offline runs below find every account and slot instead.
  let tracerServed = true;
  await forEachConcurrently(questions.calls, TRACE_CONCURRENCY, async (call) => {
    if (!tracerServed) return;
    try {
      const prestate = (await client.request({
        method: "debug_traceCall" as "eth_call",
        params: [{ to: call.to, data: call.data }, blockTag, { tracer: "prestateTracer" }] as never,
      })) as unknown as Record<Address, { storage?: Record<Hex, Hex> }>;
      for (const [address, account] of Object.entries(prestate)) {
        want(address as Address);
        for (const slot of Object.keys(account.storage ?? {})) want(address as Address, slot as Hex);
      }
    } catch {
      tracerServed = false;
    }
  });

  /** Address → the slots proven of it (the account itself is proven once it has an entry). */
  const proven = new Map<Address, Set<Hex>>();
  const nodes = new Set<Hex>();
  const codes = new Map<Address, Hex>();
  /** Fetches proofs for whatever is wanted and not yet held. */
  async function fetchMissing(): Promise<boolean> {
    let fetched = false;
    for (const [address, slots] of wanted) {
      const held = proven.get(address);
      const missingSlots = [...slots].filter((slot) => !held?.has(slot));
      if (held && missingSlots.length === 0) continue;
      const heldSlots = held ?? new Set<Hex>();
      proven.set(address, heldSlots);
      // In chunks: an edition's thousands of token slots in one answer exceed what clients accept.
      for (let start = 0; start === 0 || start < missingSlots.length; start += SLOTS_PER_PROOF_REQUEST) {
        const chunk = missingSlots.slice(start, start + SLOTS_PER_PROOF_REQUEST);
        const proof = await ask<RpcProof>("eth_getProof", [address, chunk, blockTag], `proof of ${address}`);
        fetched = true;
        for (const node of proof.accountProof) nodes.add(node.toLowerCase() as Hex);
        for (const storage of proof.storageProof) {
          heldSlots.add(normalSlot(storage.key));
          for (const node of storage.proof) nodes.add(node.toLowerCase() as Hex);
        }
        if (!codes.has(address) && proof.codeHash.toLowerCase() !== EMPTY_CODE_HASH) {
          codes.set(address, ((await ask<Hex>("eth_getCode", [address, blockTag], `code of ${address}`)) ?? "0x").toLowerCase() as Hex);
        }
      }
    }
    return fetched;
  }

  const assemble = (): StateProofs => ({
    version: 1,
    blockNumber: block.number.toString(),
    accounts: [...proven].map(([address, slots]) => ({ address, slots: [...slots] })),
    nodes: [...nodes],
    codes: [...codes].map(([address, code]) => ({ address, code })),
  });

  await fetchMissing();
  // A call answered once stays answered (the proofs only grow), so each round re-runs only the calls the
  // last one found unproven. Each round fetches something new or ends; the bound stops an endpoint that
  // keeps answering with proofs that never cover what the call reads.
  let pending = questions.calls;
  for (let round = 0; round < 256; round += 1) {
    const verified = await verifyStateProofs(assemble(), header, options);
    if (!verified.ok) {
      throw new VerifierError("CHAIN_UNAVAILABLE", { reason: `its proofs for block ${block.number} do not hold against its own header: ${verified.code} ${verified.detail}`, method: "eth_getProof" });
    }
    const unanswered: StateQuestions["calls"] = [];
    for (const call of pending) {
      const answer = await verified.state.call(call.to, call.data);
      if (!isUnproven(answer)) continue;
      const missing = answer.missing;
      if (missing.kind === "storage") want(missing.address, missing.slot);
      else if (missing.kind === "account" || missing.kind === "code") want(missing.address);
      // A block hash or blob base fee is not state: the call stays unproven and says so when verified.
      else continue;
      unanswered.push(call);
    }
    pending = unanswered;
    if (pending.length === 0 || !(await fetchMissing())) return assemble();
  }
  throw new VerifierError("CHAIN_UNAVAILABLE", { reason: `the state read by the calls at block ${block.number} did not settle`, method: "eth_getProof" });
}
