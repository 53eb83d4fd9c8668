/**
 * Builds, on a fresh Anvil, a chain holding `tokens` tokens of one Vermilion collection and
 * `tokens × (1 + hops)` real Transfer logs: the tokens are minted in batches to a relay contract
 * (bench/chain/TransferRelay.sol), which then moves each of them `hops` times between itself and 64
 * holder contracts, `tokensPerTransaction` tokens per transaction. Automine puts each transaction in a
 * block of its own; gas is given explicitly so nothing is executed twice for an estimate.
 */
import type { Abi, Address, Hex } from "viem";
import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";

import { readFile } from "node:fs/promises";
import solc from "solc";
import { parseEventLogs } from "viem";
import { foundry } from "viem/chains";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { deployVermilion } from "../../test/support/deployVermilion.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

export interface BuildTransferChainParameters {
  tokens: number;
  /** Transfers of each token after its mint (odd: every token ends at a holder contract). */
  hops?: number;
  mintBatch?: number;
  tokensPerTransaction?: number;
  holders?: number;
  /** The edition's metadata directory (default: a placeholder CID no store holds). */
  metadataCid?: string;
  /** The edition's media and its SHA-256 (with `metadataCid`; default: a placeholder no store holds). */
  media?: { cid: string; sha256: Hex };
  /** Transactions in flight at once (Anvil mines them one by one). */
  concurrency?: number;
  log?: (message: string) => void;
}

export interface TransferChain {
  anvil: StartAnvilReturnType;
  chain: VermilionDeployment;
  collection: Address;
  editionId: bigint;
  relay: Address;
  relayAbi: Abi;
  tokenIds: bigint[];
  hops: number;
  headBlock: bigint;
  transferLogs: number;
  buildSeconds: number;
  /** The owner every token must end with (checked against the chain by the benchmarks). */
  expectedOwner(tokenId: bigint): Promise<Address>;
}

const BLOCK_GAS_LIMIT = 400_000_000n;

async function compileRelay(): Promise<{ abi: Abi; bytecode: Hex }> {
  const source = await readFile(new URL("./TransferRelay.sol", import.meta.url), "utf8");
  const input = {
    language: "Solidity",
    sources: { "TransferRelay.sol": { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "prague", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: Array<{ severity: string; formattedMessage: string }>;
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((error) => error.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((error) => error.formattedMessage).join("\n"));
  const relay = output.contracts["TransferRelay.sol"]?.["TransferRelay"];
  if (!relay) throw new Error("TransferRelay did not compile");
  return { abi: relay.abi, bytecode: `0x${relay.evm.bytecode.object}` };
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function createEditionWithMetadata(
  chain: VermilionDeployment,
  collection: Address,
  issuer: Address,
  maxSupply: number,
  metadataCid: string,
  media: { cid: string; sha256: Hex } = { cid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", sha256: `0x${"ab".repeat(32)}` },
): Promise<bigint> {
  const hash = await chain.send(collection, issuer, "createEdition", [
    {
      maxSupply,
      metadataCid,
      mediaCid: media.cid,
      contentSha256: media.sha256,
      royaltyReceiver: issuer,
      royaltyBps: 500,
      transferPolicy: 0,
      holdSeconds: 0,
    },
  ]);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
  if (!created) throw new Error("no EditionCreated");
  return created.args.editionId;
}

/** Builds the chain; the caller stops `anvil`. */
export async function buildTransferChain(parameters: BuildTransferChainParameters): Promise<TransferChain> {
  const { tokens, hops = 9, mintBatch = 500, tokensPerTransaction = 100, holders = 64, concurrency = 4 } = parameters;
  const log = parameters.log ?? (() => {});
  const started = performance.now();
  const relayArtifact = await compileRelay();
  const anvil = await startAnvil({ args: ["--gas-limit", BLOCK_GAS_LIMIT.toString(), "--hardfork", "prague"] });
  try {
    const chain = await deployVermilion(anvil.rpcUrl);
    const [admin, issuer] = chain.accounts as [Address, Address];
    const collection = await chain.createCollection("Bench");
    const editionId = parameters.metadataCid
      ? await createEditionWithMetadata(chain, collection, issuer, tokens, parameters.metadataCid, parameters.media)
      : await chain.createEdition(collection, { maxSupply: Math.max(tokens, 1) });

    const deployHash = await chain.walletClient.deployContract({
      abi: relayArtifact.abi,
      bytecode: relayArtifact.bytecode,
      args: [collection, BigInt(holders)],
      account: admin,
      chain: foundry,
      gas: 100_000_000n,
    });
    const deployed = await chain.publicClient.waitForTransactionReceipt({ hash: deployHash });
    if (deployed.status !== "success" || !deployed.contractAddress) throw new Error("TransferRelay deployment failed");
    const relay = deployed.contractAddress;

    const receipts = async (hashes: Hex[]) => {
      for (const hash of hashes) {
        const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
        if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      }
    };
    const batches = Array.from({ length: Math.ceil(tokens / mintBatch) }, (_, index) => Math.min(mintBatch, tokens - index * mintBatch));
    // Transactions in flight share an account, so nonces are assigned here rather than by the node.
    let issuerNonce = await chain.publicClient.getTransactionCount({ address: issuer });
    const mintHashes: Hex[] = [];
    await inParallel(batches, concurrency, async (quantity) => {
      mintHashes.push(
        await chain.walletClient.writeContract({
          address: collection,
          abi: vermilionCollectionAbi,
          functionName: "mint",
          args: [editionId, relay, BigInt(quantity)],
          account: issuer,
          chain: foundry,
          nonce: issuerNonce++,
          gas: 30_000_000n,
        }),
      );
    });
    await receipts(mintHashes);
    const tokenIds = Array.from({ length: tokens }, (_, index) => encodeTokenId(editionId, 1 + index));
    log(`minted ${tokens} tokens in ${batches.length} transactions (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    const groups: bigint[][] = [];
    for (let index = 0; index < tokenIds.length; index += tokensPerTransaction) groups.push(tokenIds.slice(index, index + tokensPerTransaction));
    let adminNonce = await chain.publicClient.getTransactionCount({ address: admin });
    const shuffleHashes: Hex[] = [];
    let done = 0;
    await inParallel(groups, concurrency, async (group) => {
      const hash = await chain.walletClient.writeContract({
        address: relay,
        abi: relayArtifact.abi,
        functionName: "shuffle",
        args: [group, BigInt(hops)],
        account: admin,
        chain: foundry,
        nonce: adminNonce++,
        gas: BigInt(group.length * hops) * 80_000n + 1_000_000n,
      });
      shuffleHashes.push(hash);
      if (++done % 100 === 0) log(`shuffle transactions sent: ${done}/${groups.length}`);
    });
    await receipts(shuffleHashes);
    const headBlock = await chain.publicClient.getBlockNumber();
    const buildSeconds = (performance.now() - started) / 1000;
    log(`chain: ${tokens} tokens, ${tokens * (1 + hops)} Transfer logs, head ${headBlock}, built in ${buildSeconds.toFixed(1)} s`);
    return {
      anvil,
      chain,
      collection,
      editionId,
      relay,
      relayAbi: relayArtifact.abi,
      tokenIds,
      hops,
      headBlock,
      transferLogs: tokens * (1 + hops),
      buildSeconds,
      expectedOwner: async (tokenId) =>
        (await chain.publicClient.readContract({ address: relay, abi: relayArtifact.abi, functionName: "finalHolder", args: [tokenId, BigInt(hops)] })) as Address,
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
