import type { ContractReturnType } from "@nomicfoundation/hardhat-viem/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { Address, Hash, Hex, TransactionReceipt } from "viem";
import { getAddress, keccak256, parseEventLogs, sha256, stringToHex, toHex } from "viem";

import { transferPolicyCode } from "vermilion-verify/shared/transferPolicy.js";

export type CollectionContract = ContractReturnType<"VermilionCollection">;
export type FactoryContract = ContractReturnType<"VermilionFactory">;

/** `IVermilionCollection.TransferPolicy` ordinals by the contract's names, taken from their one home. */
export const TransferPolicy = {
  Free: transferPolicyCode("free"),
  Hold: transferPolicyCode("hold"),
  Soulbound: transferPolicyCode("soulbound"),
} as const;

export const ISSUER_ROLE = keccak256(stringToHex("ISSUER_ROLE"));
export const DEPLOYER_ROLE = keccak256(stringToHex("DEPLOYER_ROLE"));
export const DEFAULT_ADMIN_ROLE = toHex(0, { size: 32 });

export const defaultCollectionParams = {
  name: "Studio Vermilion",
  symbol: "VRML",
  contractURI: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/collection.json",
} as const;

export const metadataCid = "bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly";
export const mediaCid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
export const contentSha256 = sha256(stringToHex("the primary media file"));

export type EditionParams = Parameters<CollectionContract["write"]["createEdition"]>[0][0];

/** Valid edition parameters (10 serials, free transfers, 5% royalty to `royaltyReceiver`), with `overrides`. */
export function editionParams(royaltyReceiver: Address, overrides: Partial<EditionParams> = {}): EditionParams {
  return {
    maxSupply: 10,
    metadataCid,
    mediaCid,
    contentSha256,
    royaltyReceiver,
    royaltyBps: 500,
    transferPolicy: TransferPolicy.Free,
    holdSeconds: 0,
    ...overrides,
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

/**
 * Deploys the system the way production does: implementation, then factory, then one collection cloned
 * by the factory, with distinct deployer, admin and issuer accounts and three collectors.
 */
export async function deployVermilion(connection: NetworkConnection) {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  // Wallet clients carry checksummed addresses, so they compare equal to what the contracts return.
  const addresses = (await viem.getWalletClients()).slice(0, 7).map((wallet) => getAddress(wallet.account.address));
  const wallets = await Promise.all(addresses.map((address) => viem.getWalletClient(address)));
  const [deployer, admin, issuer, alice, bob, carol, outsider] = [0, 1, 2, 3, 4, 5, 6].map((index) =>
    required(wallets[index], `wallet client ${index}`),
  ) as [
    (typeof wallets)[number],
    (typeof wallets)[number],
    (typeof wallets)[number],
    (typeof wallets)[number],
    (typeof wallets)[number],
    (typeof wallets)[number],
    (typeof wallets)[number],
  ];

  const implementation = await viem.deployContract("VermilionCollection");
  const factory = await viem.deployContract("VermilionFactory", [implementation.address, deployer.account.address]);

  /** Waits for `hash` to be mined and returns its receipt. */
  async function receiptOf(hash: Promise<Hash> | Hash): Promise<TransactionReceipt> {
    return publicClient.waitForTransactionReceipt({ hash: await hash });
  }

  /** Creates a collection through the factory and returns it with the creation receipt. */
  async function createCollection(salt: Hex, params: { admin: Address; issuer: Address } = {
    admin: admin.account.address,
    issuer: issuer.account.address,
  }) {
    const receipt = await receiptOf(
      factory.write.createCollection([{ ...defaultCollectionParams, ...params }, salt], { account: deployer.account }),
    );
    const [created] = parseEventLogs({ abi: factory.abi, eventName: "CollectionCreated", logs: receipt.logs });
    const address = required(created, "CollectionCreated event").args.collection;
    return { collection: await viem.getContractAt("VermilionCollection", address), receipt };
  }

  const { collection } = await createCollection(keccak256(stringToHex("first collection")));

  /** Creates an edition as the issuer and returns its id. */
  async function createEdition(overrides: Partial<EditionParams> = {}, target: CollectionContract = collection) {
    const receipt = await receiptOf(
      target.write.createEdition([editionParams(carol.account.address, overrides)], { account: issuer.account }),
    );
    const [created] = parseEventLogs({ abi: target.abi, eventName: "EditionCreated", logs: receipt.logs });
    return required(created, "EditionCreated event").args.editionId;
  }

  /** Mints `quantity` serials of `editionId` to `to` as the issuer and returns the receipt. */
  async function mint(editionId: bigint, to: Address, quantity: bigint, target: CollectionContract = collection) {
    return receiptOf(target.write.mint([editionId, to, quantity], { account: issuer.account }));
  }

  return {
    viem,
    networkHelpers: connection.networkHelpers,
    publicClient,
    deployer,
    admin,
    issuer,
    alice,
    bob,
    carol,
    outsider,
    implementation,
    factory,
    collection,
    receiptOf,
    createCollection,
    createEdition,
    mint,
  };
}

export type VermilionFixture = Awaited<ReturnType<typeof deployVermilion>>;

/** `ERC721ReceiverMock.Behaviour`. */
export const ReceiverBehaviour = {
  Accept: 0,
  ReturnWrongValue: 1,
  RevertWithReason: 2,
  RevertWithCustomError: 3,
  RevertWithoutData: 4,
} as const;
