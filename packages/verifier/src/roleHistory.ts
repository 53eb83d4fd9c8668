import type { Address, Hex } from "viem";
import type { ChainLog, ChainReader } from "./chainReader.js";

import { getAddress, keccak256, toEventSelector, toHex, zeroHash } from "viem";

/** OpenZeppelin AccessControl's admin role: pause, roles, contract URI. */
export const DEFAULT_ADMIN_ROLE: Hex = zeroHash;
/** The collection's issuing role: create editions, mint, sign vouchers. */
export const ISSUER_ROLE: Hex = keccak256(toHex("ISSUER_ROLE"));
/** The factory's role for the platform's key: create collections. */
export const DEPLOYER_ROLE: Hex = keccak256(toHex("DEPLOYER_ROLE"));

const ROLE_GRANTED_TOPIC = toEventSelector("RoleGranted(bytes32,address,address)");
const ROLE_REVOKED_TOPIC = toEventSelector("RoleRevoked(bytes32,address,address)");

/** Where a log sits: an event before this position happened before it. */
export interface ChainPosition {
  blockNumber: bigint;
  logIndex: number;
}

/** One grant or revocation, as the report cites it. */
export interface RoleChange {
  role: Hex;
  account: Address;
  granted: boolean;
  blockNumber: string;
  logIndex: number;
  transactionHash: Hex;
}

/** Who held which role of one contract when, rebuilt from its RoleGranted and RoleRevoked logs. */
export interface RoleHistory {
  changes: RoleChange[];
  /** Accounts holding `role` just before `position` (at the pinned block when absent), in grant order. */
  holders(role: Hex, position?: ChainPosition): Address[];
  held(role: Hex, account: Address, position?: ChainPosition): boolean;
}

function before(change: RoleChange, position: ChainPosition): boolean {
  const block = BigInt(change.blockNumber);
  return block < position.blockNumber || (block === position.blockNumber && change.logIndex < position.logIndex);
}

function topicAddress(topic: Hex | undefined): Address {
  return getAddress(`0x${(topic ?? "").slice(26)}`);
}

function toChange(log: ChainLog, granted: boolean): RoleChange {
  return {
    role: (log.topics[1] ?? "0x").toLowerCase() as Hex,
    account: topicAddress(log.topics[2]),
    granted,
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
  };
}

/**
 * Reads a contract's role history from `fromBlock` to the pinned block. The verified Vermilion code emits
 * RoleGranted/RoleRevoked for every change (OpenZeppelin's AccessControl, the only writer of its role
 * mapping), so replaying them in chain order gives the holders at any log position, which a read at a
 * past block (an archive node's) could only give per block, not per log.
 */
export async function readRoleHistory(chain: ChainReader, parameters: { address: Address; fromBlock: bigint }): Promise<RoleHistory> {
  const [grantedLogs, revokedLogs] = await Promise.all([
    chain.getLogs({ address: parameters.address, topics: [ROLE_GRANTED_TOPIC], fromBlock: parameters.fromBlock }),
    chain.getLogs({ address: parameters.address, topics: [ROLE_REVOKED_TOPIC], fromBlock: parameters.fromBlock }),
  ]);
  const changes = [...grantedLogs.map((log) => toChange(log, true)), ...revokedLogs.map((log) => toChange(log, false))].sort((a, b) =>
    BigInt(a.blockNumber) === BigInt(b.blockNumber) ? a.logIndex - b.logIndex : BigInt(a.blockNumber) < BigInt(b.blockNumber) ? -1 : 1,
  );
  const holders = (role: Hex, position?: ChainPosition): Address[] => {
    const holding = new Set<Address>();
    for (const change of changes) {
      if (position && !before(change, position)) break;
      if (change.role !== role.toLowerCase()) continue;
      if (change.granted) holding.add(change.account);
      else holding.delete(change.account);
    }
    return [...holding];
  };
  return {
    changes,
    holders,
    held: (role, account, position) => holders(role, position).includes(getAddress(account)),
  };
}
