import type { Address, Hex, PublicClient } from "viem";
import type { ProvenHeaderContext, StateProofs } from "../../packages/verifier/src/proofs/state/stateProofs.js";
import type { VermilionDeployment } from "../support/deployVermilion.js";
import type { StartAnvilReturnType } from "../support/startAnvil.js";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, numberToHex } from "viem";

import { collectStateProofs, headerContextFromRpcBlock } from "../../packages/verifier/src/proofs/state/collectStateProofs.js";
import { isUnproven } from "../../packages/verifier/src/proofs/state/stateProofs.js";
import { verifyStateProofs } from "../../packages/verifier/src/proofs/state/verifyStateProofs.js";
import { VerifierError } from "../../packages/verifier/src/verifierError.js";
import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../../server/chain/abis/VermilionFactory.js";
import { TransferPolicy, deployVermilion } from "../support/deployVermilion.js";
import { startAnvil } from "../support/startAnvil.js";

const SERIALS = 1_000_000n;

let anvil: StartAnvilReturnType;
let chain: VermilionDeployment;
let collection: Address;
let calls: Array<{ label: string; to: Address; data: Hex }>;
let pinned: bigint;
let header: ProvenHeaderContext;
let proofs: StateProofs;

const byLabel = (label: string) => calls.find((call) => call.label === label)!;

const collectionCall = (functionName: string, args: readonly unknown[] = []): Hex =>
  encodeFunctionData({ abi: vermilionCollectionAbi, functionName: functionName as "ownerOf", args: args as never });

/** Deploys `runtime` as a contract's code (init code: CODECOPY it to memory and RETURN it). */
async function deployRuntime(runtime: string): Promise<Address> {
  const length = (runtime.length / 2).toString(16).padStart(4, "0");
  const init = `61${length}600c5f39` + `61${length}5ff3`; // 12 bytes, so the runtime starts at 0x0c
  const hash = await chain.walletClient.sendTransaction({ account: chain.accounts[0]!, chain: null, data: `0x${init}${runtime}` as Hex });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (!receipt.contractAddress) throw new Error("no contract created");
  return receipt.contractAddress;
}

/** Runtime code returning one 32-byte word per opcode's value, in order (`op PUSH2 offset MSTORE` each). */
function returnsEach(opcodes: string[]): string {
  const words = opcodes.map((op, index) => `${op}61${(index * 32).toString(16).padStart(4, "0")}52`).join("");
  return `${words}61${(opcodes.length * 32).toString(16).padStart(4, "0")}5ff3`;
}

/** TIMESTAMP NUMBER PREVRANDAO GASLIMIT CHAINID BASEFEE COINBASE GASPRICE ORIGIN CALLER SELFBALANCE: what a call sees of its block and itself. */
const CONTEXT_OPCODES = ["42", "43", "44", "45", "46", "48", "41", "3a", "32", "33", "47"];

let contextProbe: Address;
let blobBaseFeeProbe: Address;
let blockHashProbe: Address;
let gasProbe: Address;
let warmthProbe: Address;

/** eth_call over raw JSON-RPC: the node's own answer, revert data included (viem's request error keeps none from Anvil). */
async function liveCall(to: Address, data: Hex, block: bigint): Promise<{ ok: boolean; data: Hex }> {
  const response = await fetch(anvil.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ to, data }, numberToHex(block)] }),
  });
  const body = (await response.json()) as { result?: Hex; error?: { code: number; message: string; data?: Hex } };
  if (body.result !== undefined) return { ok: true, data: body.result.toLowerCase() as Hex };
  const error = body.error;
  if (!error || (error.code !== 3 && !/revert/i.test(error.message))) throw new Error(`eth_call failed: ${JSON.stringify(error)}`);
  return { ok: false, data: (error.data ?? "0x").toLowerCase() as Hex };
}

async function headerAt(client: PublicClient, number: bigint): Promise<ProvenHeaderContext> {
  const block = await client.request({ method: "eth_getBlockByNumber", params: [numberToHex(number), false] });
  return headerContextFromRpcBlock(block as never, await client.getChainId());
}

beforeAll(async () => {
  anvil = await startAnvil();
  chain = await deployVermilion(anvil.rpcUrl);
  const [, issuer, alice, bob] = chain.accounts as [Address, Address, Address, Address];
  collection = await chain.createCollection("State proofs");
  const free = await chain.createEdition(collection, { maxSupply: 100 });
  const hold = await chain.createEdition(collection, { maxSupply: 100, transferPolicy: TransferPolicy.Hold, holdSeconds: 86_400 * 365 });
  await chain.mint(collection, free, alice, 5); // one lazy batch: serials 1–5
  await chain.transfer(collection, alice, bob, free * SERIALS + 2n);
  await chain.burn(collection, alice, free * SERIALS + 4n, 1n);
  await chain.mint(collection, hold, alice, 3);
  contextProbe = await deployRuntime(returnsEach(CONTEXT_OPCODES));
  blobBaseFeeProbe = await deployRuntime(returnsEach(["4a"]));
  gasProbe = await deployRuntime(returnsEach(["5a"]));
  // BALANCE(this), BALANCE(precompile 1), then GAS: what is left shows whether both were warm (100) or cold (2,600).
  warmthProbe = await deployRuntime("303150600131505a5f5260205ff3");
  // BLOCKHASH(NUMBER - 1)
  blockHashProbe = await deployRuntime("60014303405f5260205ff3");
  const issuerRole = (await chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "ISSUER_ROLE" })) as Hex;

  calls = [
    { label: "factory.implementation()", to: chain.factoryAddress, data: encodeFunctionData({ abi: vermilionFactoryAbi, functionName: "implementation" }) },
    { label: "factory.isCollection(collection)", to: chain.factoryAddress, data: encodeFunctionData({ abi: vermilionFactoryAbi, functionName: "isCollection", args: [collection] }) },
    { label: "factory.isCollection(alice)", to: chain.factoryAddress, data: encodeFunctionData({ abi: vermilionFactoryAbi, functionName: "isCollection", args: [alice] }) },
    { label: "ISSUER_ROLE()", to: collection, data: collectionCall("ISSUER_ROLE") },
    { label: "hasRole(ISSUER_ROLE, issuer)", to: collection, data: collectionCall("hasRole", [issuerRole, issuer]) },
    { label: "hasRole(ISSUER_ROLE, bob)", to: collection, data: collectionCall("hasRole", [issuerRole, bob]) },
    { label: "edition(free)", to: collection, data: collectionCall("edition", [free]) },
    { label: "edition(hold)", to: collection, data: collectionCall("edition", [hold]) },
    { label: "ownerOf(batch head)", to: collection, data: collectionCall("ownerOf", [free * SERIALS + 1n]) },
    { label: "ownerOf(inside the batch)", to: collection, data: collectionCall("ownerOf", [free * SERIALS + 3n]) },
    { label: "ownerOf(transferred)", to: collection, data: collectionCall("ownerOf", [free * SERIALS + 2n]) },
    { label: "ownerOf(last of the batch)", to: collection, data: collectionCall("ownerOf", [free * SERIALS + 5n]) },
    { label: "ownerOf(burned) reverts", to: collection, data: collectionCall("ownerOf", [free * SERIALS + 4n]) },
    { label: "ownerOf(unminted) reverts", to: collection, data: collectionCall("ownerOf", [free * SERIALS + 6n]) },
    { label: "locked(free)", to: collection, data: collectionCall("locked", [free * SERIALS + 1n]) },
    { label: "locked(hold)", to: collection, data: collectionCall("locked", [hold * SERIALS + 2n]) },
    { label: "tokenURI(hold serial 3)", to: collection, data: collectionCall("tokenURI", [hold * SERIALS + 3n]) },
    { label: "block context probe", to: contextProbe, data: "0x" },
    { label: "BLOBBASEFEE probe", to: blobBaseFeeProbe, data: "0x" },
    { label: "GAS probe, with calldata", to: gasProbe, data: "0x00ff00ff" },
    { label: "warm-address probe", to: warmthProbe, data: "0x" },
  ];
  pinned = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
  header = await headerAt(chain.publicClient, pinned);
  proofs = await collectStateProofs(
    chain.publicClient,
    { calls: [...calls, { to: blockHashProbe, data: "0x" }], codes: [collection, chain.factoryAddress, alice] },
    { number: pinned },
  );
  // Blocks after the pinned one must not leak into the proofs.
  await chain.mint(collection, free, bob, 1);
}, 120_000);

afterAll(async () => {
  await anvil?.stop();
});

describe("state proofs", () => {
  it("answers the verifier's calls offline byte for byte as the node's eth_call at the pinned block", async () => {
    const verified = await verifyStateProofs(JSON.parse(JSON.stringify(proofs)) as StateProofs, header);
    if (!verified.ok) throw new Error(`${verified.code}: ${verified.detail}`);
    for (const call of calls) {
      const offline = await verified.state.call(call.to, call.data);
      expect({ call: call.label, answer: offline }).toEqual({ call: call.label, answer: await liveCall(call.to, call.data, pinned) });
    }
    // The cases that matter most are there, not vacuous: a revert with its error data, and a Hold lock.
    const unminted = byLabel("ownerOf(unminted) reverts");
    expect(await verified.state.call(unminted.to, unminted.data)).toMatchObject({ ok: false, data: expect.stringMatching(/^0x[0-9a-f]{8,}$/) });
    const hold = byLabel("locked(hold)");
    expect(await verified.state.call(hold.to, hold.data)).toEqual({ ok: true, data: `0x${"1".padStart(64, "0")}` });
    for (const address of [collection, chain.factoryAddress, chain.accounts[2]!]) {
      expect(await verified.state.getCode(address)).toBe((await chain.publicClient.getCode({ address, blockNumber: pinned }))?.toLowerCase() ?? "0x");
    }
  });

  it("runs calls in the pinned block's context: locked() under a Hold policy reads the header's timestamp", async () => {
    const later = await verifyStateProofs(proofs, { ...header, timestamp: header.timestamp + 86_400n * 366n });
    if (!later.ok) throw new Error(later.detail);
    const hold = byLabel("locked(hold)");
    expect(await later.state.call(hold.to, hold.data)).toEqual({ ok: true, data: `0x${"0".repeat(64)}` });
  });

  it("answers a call that reads a block hash, or the blob base fee without the header's excessBlobGas, as unproven", async () => {
    expect(header.excessBlobGas).toBeDefined();
    const withoutBlobGas = await verifyStateProofs(proofs, { ...header, excessBlobGas: undefined });
    if (!withoutBlobGas.ok) throw new Error(withoutBlobGas.detail);
    expect(await withoutBlobGas.state.call(blobBaseFeeProbe, "0x")).toMatchObject({ unproven: true, missing: { kind: "blobBaseFee" } });
    expect(await withoutBlobGas.state.call(blockHashProbe, "0x")).toEqual({
      unproven: true,
      code: "STATE_UNPROVEN",
      missing: { kind: "blockHash", blockNumber: pinned - 1n },
      detail: expect.stringContaining(`block ${pinned - 1n}`),
    });
  });

  it("answers concurrent calls as it answers them one by one", async () => {
    const verified = await verifyStateProofs(proofs, header);
    if (!verified.ok) throw new Error(verified.detail);
    const together = await Promise.all(calls.map((call) => verified.state.call(call.to, call.data)));
    for (const [index, call] of calls.entries()) expect(together[index]).toEqual(await liveCall(call.to, call.data, pinned));
  });

  it("collects a complete set from an endpoint without debug_traceCall, by running the calls offline", async () => {
    const { MethodNotFoundRpcError, createPublicClient, custom } = await import("viem");
    const withoutTracer = createPublicClient({
      transport: custom({
        async request({ method, params }) {
          if (method === "debug_traceCall") throw new MethodNotFoundRpcError(new Error("the method debug_traceCall does not exist"));
          return chain.publicClient.request({ method, params } as never);
        },
      }),
    }) as PublicClient;
    const collected = await collectStateProofs(withoutTracer, { calls, codes: [] }, { number: pinned });
    const verified = await verifyStateProofs(collected, header);
    if (!verified.ok) throw new Error(verified.detail);
    for (const call of calls) expect(await verified.state.call(call.to, call.data)).toEqual(await liveCall(call.to, call.data, pinned));
  });
});

describe("collecting from an endpoint without eth_getProof", () => {
  it("fails with CHAIN_UNAVAILABLE naming the method, so the bundle can list the calls as unproven", async () => {
    const { MethodNotFoundRpcError, createPublicClient, custom } = await import("viem");
    const withoutProofs = createPublicClient({
      transport: custom(
        {
          async request({ method, params }) {
            if (method === "eth_getProof") throw new MethodNotFoundRpcError(new Error("the method eth_getProof does not exist"));
            return chain.publicClient.request({ method, params } as never);
          },
        },
        { retryCount: 0 },
      ),
    }) as PublicClient;
    const attempt = collectStateProofs(withoutProofs, { calls: calls.slice(0, 2), codes: [] }, { number: pinned });
    await expect(attempt).rejects.toBeInstanceOf(VerifierError);
    await expect(attempt).rejects.toMatchObject({ code: "CHAIN_UNAVAILABLE", details: { method: "eth_getProof" } });
  });
});

/** `hex` with one byte in its middle flipped (past any RLP prefix). */
function alterByte(hex: Hex): Hex {
  const at = 2 + 2 * Math.floor((hex.length - 2) / 4); // a byte inside, not the RLP prefix
  const byte = Number.parseInt(hex.slice(at, at + 2), 16) ^ 0x01;
  return `${hex.slice(0, at)}${byte.toString(16).padStart(2, "0")}${hex.slice(at + 2)}` as Hex;
}

const copy = (value: StateProofs): StateProofs => JSON.parse(JSON.stringify(value)) as StateProofs;

/** Each account and slot the proofs prove, in the order they are checked, with the trie nodes of its path. */
async function pathsInCheckOrder(): Promise<Array<{ address: Address; slot?: Hex; nodes: Set<Hex> }>> {
  const paths: Array<{ address: Address; slot?: Hex; nodes: Set<Hex> }> = [];
  for (const { address, slots } of proofs.accounts) {
    const proof = await chain.publicClient.getProof({ address, storageKeys: slots, blockNumber: pinned });
    paths.push({ address, nodes: new Set(proof.accountProof.map((node) => node.toLowerCase() as Hex)) });
    for (const [index, slot] of slots.entries()) paths.push({ address, slot, nodes: new Set(proof.storageProof[index]!.proof.map((node) => node.toLowerCase() as Hex)) });
  }
  return paths;
}

describe("altered state proofs", () => {
  it("refuses one altered byte in any node of an account proof or a storage proof, naming the account (and slot) whose path it is on", async () => {
    const paths = await pathsInCheckOrder();
    const collectionPath = paths.find((path) => path.address === collection.toLowerCase() && path.slot === undefined)!;
    const slotPath = paths.find((path) => path.address === collection.toLowerCase() && path.slot !== undefined && path.nodes.size > 1)!;
    expect(collectionPath.nodes.size).toBeGreaterThan(1);
    for (const node of [...collectionPath.nodes, ...slotPath.nodes]) {
      const index = proofs.nodes.indexOf(node);
      expect(index).toBeGreaterThanOrEqual(0);
      const altered = copy(proofs);
      altered.nodes[index] = alterByte(node);
      const first = paths.find((path) => path.nodes.has(node))!;
      expect(await verifyStateProofs(altered, header)).toEqual({
        ok: false,
        code: "BUNDLE_STATE_PROOF_INVALID",
        address: first.address,
        ...(first.slot === undefined ? {} : { slot: first.slot }),
        detail: expect.any(String),
      });
    }
    // The deepest nodes belong to one path only: the failure names the collection, and the slot.
    const leafOfCollection = [...collectionPath.nodes].at(-1)!;
    const alteredLeaf = copy(proofs);
    alteredLeaf.nodes[proofs.nodes.indexOf(leafOfCollection)] = alterByte(leafOfCollection);
    expect(await verifyStateProofs(alteredLeaf, header)).toMatchObject({ code: "BUNDLE_STATE_PROOF_INVALID", address: collection.toLowerCase() });
    const leafOfSlot = [...slotPath.nodes].at(-1)!;
    const alteredSlotLeaf = copy(proofs);
    alteredSlotLeaf.nodes[proofs.nodes.indexOf(leafOfSlot)] = alterByte(leafOfSlot);
    expect(await verifyStateProofs(alteredSlotLeaf, header)).toMatchObject({ code: "BUNDLE_STATE_PROOF_INVALID", address: collection.toLowerCase(), slot: paths.find((path) => path.nodes.has(leafOfSlot))!.slot });
  });

  it("pools each trie node once", () => {
    expect(new Set(proofs.nodes).size).toBe(proofs.nodes.length);
  });

  it("refuses one altered byte of a runtime code, naming the account", async () => {
    for (const { address } of proofs.codes) {
      const altered = copy(proofs);
      const target = altered.codes.find((code) => code.address === address)!;
      target.code = alterByte(target.code);
      expect(await verifyStateProofs(altered, header)).toMatchObject({ ok: false, code: "BUNDLE_CODE_HASH_MISMATCH", address });
    }
  });

  it("refuses proofs checked against another block's state root or number", async () => {
    const earlier = await headerAt(chain.publicClient, pinned - 1n);
    expect(await verifyStateProofs(proofs, { ...header, stateRoot: earlier.stateRoot })).toMatchObject({ ok: false, code: "BUNDLE_STATE_PROOF_INVALID" });
    expect(await verifyStateProofs(proofs, earlier)).toMatchObject({ ok: false, code: "BUNDLE_STATE_PROOF_BLOCK_MISMATCH" });
  });

  it("refuses malformed proofs naming the field", async () => {
    const malformed = copy(proofs) as unknown as { accounts: Array<{ address: string }> };
    malformed.accounts[0]!.address = "0x1234";
    const result = await verifyStateProofs(malformed as unknown as StateProofs, header);
    expect(result).toMatchObject({ ok: false, code: "BUNDLE_STATE_PROOFS_MALFORMED" });
    expect(result.ok === false && result.detail).toMatch(/^accounts\.0\.address/);
  });
});

describe("unproven state", () => {
  const ownerOfInBatch = () => byLabel("ownerOf(inside the batch)");

  it("answers a call that needs a slot not in the proofs as unproven, naming the slot, never as zero", async () => {
    const call = ownerOfInBatch();
    const complete = await verifyStateProofs(proofs, header);
    if (!complete.ok) throw new Error(complete.detail);
    // Which slots ownerOf(serial 3) reads: each dropped in turn must make the call unproven.
    const entry = proofs.accounts.find((account) => account.address === collection.toLowerCase())!;
    let unprovenSeen = 0;
    for (const slot of entry.slots) {
      const partial = copy(proofs);
      const target = partial.accounts.find((account) => account.address === entry.address)!;
      target.slots = target.slots.filter((kept) => kept !== slot);
      const verified = await verifyStateProofs(partial, header);
      if (!verified.ok) throw new Error(verified.detail);
      const answer = await verified.state.call(call.to, call.data);
      if (isUnproven(answer)) {
        unprovenSeen += 1;
        expect(answer.missing).toEqual({ kind: "storage", address: entry.address, slot });
      } else {
        expect(answer).toEqual(await complete.state.call(call.to, call.data));
      }
    }
    expect(unprovenSeen).toBeGreaterThan(0);
  });

  it("answers a call into an account without a proof, or without its code, as unproven", async () => {
    const call = ownerOfInBatch();
    const implementation = (await chain.publicClient.readContract({ address: chain.factoryAddress, abi: vermilionFactoryAbi, functionName: "implementation" })).toLowerCase();
    const withoutCode = copy(proofs);
    withoutCode.codes = withoutCode.codes.filter((code) => code.address !== implementation);
    const noCode = await verifyStateProofs(withoutCode, header);
    if (!noCode.ok) throw new Error(noCode.detail);
    expect(await noCode.state.call(call.to, call.data)).toMatchObject({ unproven: true, missing: { kind: "code", address: implementation } });
    expect(await noCode.state.getCode(implementation as Address)).toMatchObject({ unproven: true, missing: { kind: "code", address: implementation } });

    const withoutAccount = copy(proofs);
    withoutAccount.accounts = withoutAccount.accounts.filter((account) => account.address !== implementation);
    withoutAccount.codes = withoutAccount.codes.filter((code) => code.address !== implementation);
    const noAccount = await verifyStateProofs(withoutAccount, header);
    if (!noAccount.ok) throw new Error(noAccount.detail);
    expect(await noAccount.state.call(call.to, call.data)).toMatchObject({ unproven: true, missing: { kind: "account", address: implementation } });
    expect(await noAccount.state.getCode("0x000000000000000000000000000000000000dead")).toMatchObject({ unproven: true, missing: { kind: "account" } });
  });

  it("refuses a code for an account no proof covers", async () => {
    const orphan = copy(proofs);
    const moved = orphan.codes[0]!;
    orphan.accounts = orphan.accounts.filter((account) => account.address !== moved.address);
    expect(await verifyStateProofs(orphan, header)).toMatchObject({ ok: false, code: "BUNDLE_CODE_ACCOUNT_UNPROVEN", address: moved.address });
  });
});
