import type { Hex } from "viem";

/**
 * A block header's fields in their RLP order (the Yellow Paper's, plus every fork's additions). The
 * fields after `nonce` are present from the fork that added them on; a header carries a prefix of them.
 */
export const HEADER_FIELDS = [
  { name: "parentHash", kind: "bytes" },
  { name: "sha3Uncles", kind: "bytes" },
  { name: "miner", kind: "bytes" },
  { name: "stateRoot", kind: "bytes" },
  { name: "transactionsRoot", kind: "bytes" },
  { name: "receiptsRoot", kind: "bytes" },
  { name: "logsBloom", kind: "bytes" },
  { name: "difficulty", kind: "integer" },
  { name: "number", kind: "integer" },
  { name: "gasLimit", kind: "integer" },
  { name: "gasUsed", kind: "integer" },
  { name: "timestamp", kind: "integer" },
  { name: "extraData", kind: "bytes" },
  { name: "mixHash", kind: "bytes" },
  { name: "nonce", kind: "bytes" },
  // London (EIP-1559)
  { name: "baseFeePerGas", kind: "integer" },
  // Shanghai (EIP-4895)
  { name: "withdrawalsRoot", kind: "bytes" },
  // Cancun (EIP-4844, EIP-4788)
  { name: "blobGasUsed", kind: "integer" },
  { name: "excessBlobGas", kind: "integer" },
  { name: "parentBeaconBlockRoot", kind: "bytes" },
  // Prague (EIP-7685)
  { name: "requestsHash", kind: "bytes" },
] as const;

/** The number of fields every header has (up to `nonce`). */
export const REQUIRED_HEADER_FIELDS = 15;

/** What the verifier reads of a header it has hashed to its block hash. */
export interface ProvenHeader {
  /** keccak256 of the header's RLP: the block hash. */
  hash: Hex;
  number: bigint;
  parentHash: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  timestamp: bigint;
  miner: Hex;
  gasLimit: bigint;
  mixHash: Hex;
  baseFeePerGas: bigint | null;
  excessBlobGas: bigint | null;
  /** The header's RLP, as the bundle carries it. */
  rlp: Hex;
}
