import type { AccountFields, StateManagerInterface } from "@ethereumjs/common";
import type { Address as EthAddress } from "@ethereumjs/util";
import type { Address, Hex } from "viem";
import type { UnprovenAccess } from "./stateProofs.js";

import { Account, KECCAK256_NULL, KECCAK256_RLP, bytesToHex, equalsBytes, setLengthLeft } from "@ethereumjs/util";
import { keccak256 } from "viem";

/** Accounts, slots and codes read out of checked proofs: the only state an offline call may see. */
export interface VerifiedState {
  /** Lowercase address → the proven account, or null when proven not to exist. */
  accounts: Map<string, Account | null>;
  /** Lowercase address → 32-byte slot (lowercase hex) → value bytes (empty for zero). */
  storage: Map<string, Map<string, Uint8Array>>;
  /** Lowercase address → runtime code whose keccak is the account's codeHash. */
  codes: Map<string, Uint8Array>;
}

/**
 * Thrown from inside the EVM when execution needs state no proof covers. It is not an EVM error, so the
 * interpreter re-throws it instead of turning it into a failed call, and the caller reports it as unproven.
 */
export class UnprovenAccessError extends Error {
  constructor(readonly access: UnprovenAccess) {
    super(`unproven ${access.kind}`);
  }
}

export function describeUnprovenAccess(access: UnprovenAccess): string {
  switch (access.kind) {
    case "account":
      return `the proofs do not cover account ${access.address}`;
    case "storage":
      return `the proofs do not cover slot ${access.slot} of ${access.address}`;
    case "code":
      return `the proofs carry no code for ${access.address}`;
    case "blockHash":
      return `the call reads the hash of block ${access.blockNumber}, which the proofs do not give`;
    case "blobBaseFee":
      return "the call reads the blob base fee, which the header context does not give";
  }
}

function addressKey(address: EthAddress): string {
  return address.toString().toLowerCase();
}

/**
 * A state manager whose base is the verified state and nothing else: any read of an account, slot or code
 * outside it throws UnprovenAccessError rather than answering zero, as a sparse trie or an empty default
 * would. Writes (a call's own, e.g. a touched account) go to checkpointed layers above the base, so each
 * call starts from the proven state again.
 */
export class ProvenStateManager implements StateManagerInterface {
  private accountLayers: Array<Map<string, Account | undefined>> = [new Map()];
  private storageLayers: Array<Map<string, Uint8Array>> = [new Map()];
  private codeLayers: Array<Map<string, Uint8Array>> = [new Map()];

  readonly originalStorageCache: StateManagerInterface["originalStorageCache"];

  constructor(private readonly verified: VerifiedState) {
    // Storage as it was before the call: the proven base, never the layers.
    this.originalStorageCache = { get: (address, key) => Promise.resolve(this.baseStorage(address, key)), clear: () => {} };
  }

  private top<T>(layers: Array<Map<string, T>>): Map<string, T> {
    return layers[layers.length - 1]!;
  }

  private baseAccount(address: EthAddress): Account | undefined {
    const key = addressKey(address);
    const account = this.verified.accounts.get(key);
    if (account === undefined) throw new UnprovenAccessError({ kind: "account", address: key as Address });
    return account ?? undefined;
  }

  private baseStorage(address: EthAddress, slot: Uint8Array): Uint8Array {
    const account = this.baseAccount(address);
    // No account, or an empty storage trie: every slot is proven zero by the account proof itself.
    if (account === undefined || equalsBytes(account.storageRoot, KECCAK256_RLP)) return new Uint8Array(0);
    const key = addressKey(address);
    const slotHex = bytesToHex(setLengthLeft(slot, 32)).toLowerCase();
    const value = this.verified.storage.get(key)?.get(slotHex);
    if (value === undefined) throw new UnprovenAccessError({ kind: "storage", address: key as Address, slot: slotHex as Hex });
    return value;
  }

  private baseCode(address: EthAddress): Uint8Array {
    const account = this.baseAccount(address);
    if (account === undefined || equalsBytes(account.codeHash, KECCAK256_NULL)) return new Uint8Array(0);
    const key = addressKey(address);
    const code = this.verified.codes.get(key);
    if (code === undefined) throw new UnprovenAccessError({ kind: "code", address: key as Address });
    return code;
  }

  async getAccount(address: EthAddress): Promise<Account | undefined> {
    const key = addressKey(address);
    const layer = this.top(this.accountLayers);
    if (layer.has(key)) return layer.get(key);
    const account = this.baseAccount(address);
    // A copy: the EVM mutates the accounts it is given before putting them back.
    return account === undefined ? undefined : new Account(account.nonce, account.balance, account.storageRoot, account.codeHash);
  }

  async putAccount(address: EthAddress, account?: Account): Promise<void> {
    this.top(this.accountLayers).set(addressKey(address), account);
  }

  async deleteAccount(address: EthAddress): Promise<void> {
    this.top(this.accountLayers).set(addressKey(address), undefined);
  }

  async modifyAccountFields(address: EthAddress, fields: AccountFields): Promise<void> {
    const account = (await this.getAccount(address)) ?? new Account();
    if (fields.nonce !== undefined) account.nonce = fields.nonce;
    if (fields.balance !== undefined) account.balance = fields.balance;
    if (fields.storageRoot !== undefined) account.storageRoot = fields.storageRoot;
    if (fields.codeHash !== undefined) account.codeHash = fields.codeHash;
    await this.putAccount(address, account);
  }

  async putCode(address: EthAddress, value: Uint8Array): Promise<void> {
    this.top(this.codeLayers).set(addressKey(address), value);
    await this.modifyAccountFields(address, { codeHash: keccak256(value, "bytes") });
  }

  async getCode(address: EthAddress): Promise<Uint8Array> {
    const layer = this.top(this.codeLayers);
    const key = addressKey(address);
    return layer.get(key) ?? this.baseCode(address);
  }

  async getCodeSize(address: EthAddress): Promise<number> {
    return (await this.getCode(address)).length;
  }

  async getStorage(address: EthAddress, key: Uint8Array): Promise<Uint8Array> {
    const written = this.top(this.storageLayers).get(`${addressKey(address)}_${bytesToHex(setLengthLeft(key, 32))}`);
    return written ?? this.baseStorage(address, key);
  }

  async putStorage(address: EthAddress, key: Uint8Array, value: Uint8Array): Promise<void> {
    this.top(this.storageLayers).set(`${addressKey(address)}_${bytesToHex(setLengthLeft(key, 32))}`, value);
  }

  async clearStorage(address: EthAddress): Promise<void> {
    // Only a contract created within the call has its storage cleared; the proven base is never cleared.
    const prefix = `${addressKey(address)}_`;
    const layer = this.top(this.storageLayers);
    for (const key of [...layer.keys()]) if (key.startsWith(prefix)) layer.delete(key);
  }

  async checkpoint(): Promise<void> {
    this.accountLayers.push(new Map([...this.top(this.accountLayers)].map(([key, account]) => [key, account === undefined ? undefined : new Account(account.nonce, account.balance, account.storageRoot, account.codeHash)])));
    this.storageLayers.push(new Map(this.top(this.storageLayers)));
    this.codeLayers.push(new Map(this.top(this.codeLayers)));
  }

  async commit(): Promise<void> {
    this.accountLayers.splice(-2, 1);
    this.storageLayers.splice(-2, 1);
    this.codeLayers.splice(-2, 1);
  }

  async revert(): Promise<void> {
    this.accountLayers.pop();
    this.storageLayers.pop();
    this.codeLayers.pop();
  }

  /** Drops every write: the next call starts from the proven state alone. */
  resetWrites(): void {
    this.accountLayers = [new Map()];
    this.storageLayers = [new Map()];
    this.codeLayers = [new Map()];
  }

  async getStateRoot(): Promise<Uint8Array> {
    throw new Error("a proven state has no state root of its own");
  }

  async setStateRoot(): Promise<void> {
    throw new Error("a proven state cannot move to another state root");
  }

  async hasStateRoot(): Promise<boolean> {
    return false;
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    return new ProvenStateManager(this.verified);
  }
}
