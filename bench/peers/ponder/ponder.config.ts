import { createConfig } from "ponder";

// The ERC-721 Transfer event: the only event this peer indexes.
const transferAbi = [
  {
    type: "event",
    name: "Transfer",
    inputs: [
      { name: "from", type: "address", indexed: true },
      { name: "to", type: "address", indexed: true },
      { name: "tokenId", type: "uint256", indexed: true },
    ],
  },
] as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (set by bench/indexer/runIngestBench.ts)`);
  return value;
}

export default createConfig({
  database: { kind: "postgres", connectionString: required("DATABASE_URL") },
  chains: {
    anvil: {
      id: Number(process.env.PONDER_CHAIN_ID ?? 31337),
      rpc: required("PONDER_RPC_URL"),
      // A local chain: nothing to cache between runs, and every run must start cold.
      disableCache: true,
      ethGetLogsBlockRange: Number(process.env.PONDER_GET_LOGS_BLOCK_RANGE ?? 8),
    },
  },
  contracts: {
    Collection: {
      abi: transferAbi,
      chain: "anvil",
      address: required("PONDER_COLLECTION") as `0x${string}`,
      startBlock: Number(required("PONDER_START_BLOCK")),
    },
  },
});
