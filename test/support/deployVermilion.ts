import type { Address, Hash, PublicClient, WalletClient } from "viem";

import { createPublicClient, createWalletClient, http, parseEventLogs } from "viem";
import { foundry } from "viem/chains";

import type { ContractBuildName } from "../../server/chain/abis/contractBuilds.js";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../../server/chain/abis/VermilionFactory.js";
import { contractBuilds } from "../../server/chain/abis/contractBuilds.js";
import { mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";

export const TransferPolicy = { Free: 0, Hold: 1, Soulbound: 2 } as const;

/** A deployed factory on a test chain, with the clients and helpers tests drive it with. */
export interface VermilionDeployment {
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** Anvil's unlocked accounts; the first deploys and administers, the second issues. */
  accounts: Address[];
  factoryAddress: Address;
  factoryBlock: bigint;
  createCollection(name: string, salt?: number): Promise<Address>;
  createEdition(collection: Address, options?: { maxSupply?: number; transferPolicy?: number; holdSeconds?: number }): Promise<bigint>;
  mint(collection: Address, editionId: bigint, to: Address, quantity: number): Promise<Hash>;
  airdrop(collection: Address, editionId: bigint, recipients: Address[]): Promise<Hash>;
  redeemVoucher(collection: Address, editionId: bigint, to: Address, quantity: number, nonce: bigint): Promise<Hash>;
  transfer(collection: Address, from: Address, to: Address, tokenId: bigint): Promise<Hash>;
  burn(collection: Address, holder: Address, tokenId: bigint, reasonCode: bigint): Promise<Hash>;
  /** Sends a collection call from `from` and waits for its successful receipt. */
  execute(collection: Address, from: Address, functionName: string, args: readonly unknown[]): Promise<Hash>;
  /** Sends without waiting for a receipt (for bulk setup); automine puts each in its own block. */
  send(collection: Address, from: Address, functionName: string, args: readonly unknown[]): Promise<Hash>;
}

export interface DeployVermilionOptions {
  /** The published build the factory is made from (default prague). */
  build?: ContractBuildName;
  /** The build the implementation is made from (default: the factory's); another one makes a mixed deployment. */
  implementationBuild?: ContractBuildName;
}

/** Deploys the collection implementation and the factory from the exported bytecode with viem. */
export async function deployVermilion(rpcUrl: string, options: DeployVermilionOptions = {}): Promise<VermilionDeployment> {
  const factoryBuild = contractBuilds[options.build ?? "prague"];
  const implementationBuild = contractBuilds[options.implementationBuild ?? options.build ?? "prague"];
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 }) as PublicClient;
  const walletClient = createWalletClient({ chain: foundry, transport });
  const accounts = await walletClient.getAddresses();
  const [admin, issuer] = accounts as [Address, Address];

  async function confirm(hash: Hash) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  }

  const implementation = await confirm(
    await walletClient.deployContract({ abi: vermilionCollectionAbi, bytecode: implementationBuild.VermilionCollection.bytecode, account: admin, chain: foundry }),
  );
  const factoryReceipt = await confirm(
    await walletClient.deployContract({
      abi: vermilionFactoryAbi,
      bytecode: factoryBuild.VermilionFactory.bytecode,
      args: [implementation.contractAddress as Address, admin],
      account: admin,
      chain: foundry,
    }),
  );
  const factoryAddress = factoryReceipt.contractAddress as Address;

  const send: VermilionDeployment["send"] = (collection, from, functionName, args) =>
    walletClient.writeContract({
      address: collection,
      abi: vermilionCollectionAbi,
      functionName: functionName as "mint",
      args: args as never,
      account: from,
      chain: foundry,
    });

  return {
    publicClient,
    walletClient,
    accounts,
    factoryAddress,
    factoryBlock: factoryReceipt.blockNumber,
    async createCollection(name, salt = 1) {
      const receipt = await confirm(
        await walletClient.writeContract({
          address: factoryAddress,
          abi: vermilionFactoryAbi,
          functionName: "createCollection",
          args: [{ name, symbol: "VRM", admin, issuer, contractURI: "ipfs://contract" }, `0x${salt.toString(16).padStart(64, "0")}`],
          account: admin,
          chain: foundry,
        }),
      );
      const [created] = parseEventLogs({ abi: vermilionFactoryAbi, eventName: "CollectionCreated", logs: receipt.logs });
      if (!created) throw new Error("no CollectionCreated");
      return created.args.collection;
    },
    async createEdition(collection, options = {}) {
      const receipt = await confirm(
        await send(collection, issuer, "createEdition", [
          {
            maxSupply: options.maxSupply ?? 10_000,
            metadataCid: "bafymetadata",
            mediaCid: "bafymedia",
            contentSha256: `0x${"ab".repeat(32)}`,
            royaltyReceiver: issuer,
            royaltyBps: 500,
            transferPolicy: options.transferPolicy ?? TransferPolicy.Free,
            holdSeconds: options.holdSeconds ?? 0,
          },
        ]),
      );
      const [created] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
      if (!created) throw new Error("no EditionCreated");
      return created.args.editionId;
    },
    async mint(collection, editionId, to, quantity) {
      const hash = await send(collection, issuer, "mint", [editionId, to, BigInt(quantity)]);
      await confirm(hash);
      return hash;
    },
    async airdrop(collection, editionId, recipients) {
      const hash = await send(collection, issuer, "airdrop", [editionId, recipients]);
      await confirm(hash);
      return hash;
    },
    async redeemVoucher(collection, editionId, to, quantity, nonce) {
      const voucher = { editionId, to, quantity: BigInt(quantity), nonce, deadline: 2n ** 40n };
      const signature = await walletClient.signTypedData({ account: issuer, ...mintVoucherTypedData(foundry.id, collection, voucher) });
      const hash = await send(collection, to, "redeem", [voucher, signature]);
      await confirm(hash);
      return hash;
    },
    async transfer(collection, from, to, tokenId) {
      const hash = await send(collection, from, "transferFrom", [from, to, tokenId]);
      await confirm(hash);
      return hash;
    },
    async burn(collection, holder, tokenId, reasonCode) {
      const hash = await send(collection, holder, "burn", [tokenId, reasonCode]);
      await confirm(hash);
      return hash;
    },
    async execute(collection, from, functionName, args) {
      const hash = await send(collection, from, functionName, args);
      await confirm(hash);
      return hash;
    },
    send,
  };
}


