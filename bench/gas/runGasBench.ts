/**
 * Gas benchmark: Vermilion's collection (as the EIP-1167 clone the factory deploys, and deployed
 * directly to show the proxy's share) beside OpenZeppelin ERC721 and ERC721A, compiled in the same run
 * with the same compiler and optimizer settings, on Hardhat's in-process chain.
 *
 * Gas is deterministic for a given state, so each figure is one measurement from the same starting
 * state (a snapshot per scenario), not a timing. Writes bench/results/gas.json and docs/benchmarks.md.
 *
 * Run: npm run bench:gas
 */
import type { Address, Hex } from "viem";

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { config, globalOptions, network } from "hardhat";
import { getAddress, keccak256, parseEther, parseEventLogs, toHex, zeroHash } from "viem";

import { mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";
import { contractBuilds } from "../../server/chain/abis/contractBuilds.js";
import { writeBenchmarksReport } from "../writeBenchmarksReport.js";
import { describeSolidityBuild } from "./describeSolidityBuild.js";
import type { GasResults, GasScenarioResult, IssuerAccountsGas, PreviousGasRun } from "./gasResults.js";
import { CANCEL_HUNDRED, CANCEL_HUNDRED_ONE_WORD, CANCEL_ONE, ISSUER_ACCOUNTS, OLDER_EVM_BUILD, OLDER_EVM_CLONE } from "./gasResults.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const EDITION_ID = 1n;
/** ISSUER_GAS_TOP_UP_ETH's default: what the funding key sends an issuer key at a time. */
const TOP_UP_WEI = parseEther("0.05");

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const wallets = await viem.getWalletClients();
if (wallets.length < 8) throw new Error("the benchmark needs 8 funded accounts");
type Wallet = (typeof wallets)[number];
const deployer = wallets[0]!;
const holder = wallets[1]!;
/** With issuer accounts: an issuer's operating key (issuing role), its admin address, and a key its admin grants the role later. */
const operatingKey = wallets[5]!;
const issuerAdmin = wallets[6]!;
const laterIssuingKey = wallets[7]!;

/**
 * Fresh recipients, the same sequence for every contract in a scenario: an address's zero bytes change its
 * calldata cost, so random addresses would add noise between contracts.
 */
let freshAddressCounter = 0;
function freshAddress(): Address {
  freshAddressCounter += 1;
  return getAddress(`0x${keccak256(toHex(`vermilion-bench-${freshAddressCounter}`)).slice(-40)}`);
}

async function gasOf(txHash: Hex): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success") throw new Error(`benchmark transaction ${txHash} reverted`);
  return receipt.gasUsed;
}

/** What each benchmarked contract must do; token positions are 1-based within the first 100-batch. */
interface GasDriver {
  name: string;
  mint(to: Address, quantity: bigint): Promise<bigint>;
  airdrop(recipients: Address[]): Promise<bigint>;
  redeem?(to: Address): Promise<bigint>;
  cancelVouchers?(nonces: bigint[]): Promise<bigint>;
  isVoucherCancelled?(nonce: bigint): Promise<boolean>;
  tokenIdAt(position: bigint): bigint;
  transfer(fromIndex: number, to: Address, tokenId: bigint): Promise<bigint>;
  ownerOf(tokenId: bigint): Promise<Address>;
  balanceOf(owner: Address): Promise<bigint>;
  /** Forgets client-side state after the chain is restored to the baseline snapshot. */
  reset?(): void;
  address: Address;
}

const editionParams = {
  maxSupply: 100_000,
  metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  mediaCid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
  contentSha256: "0xb94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9" as Hex,
  royaltyReceiver: deployer.account.address,
  royaltyBps: 500,
  transferPolicy: 0,
  holdSeconds: 0,
} as const;

/** Gas of creating the benchmark's edition, by collection. */
const createEditionGas: Record<string, number> = {};

/** A Vermilion collection driven by `issuer`, the key holding its issuing role (the platform's key today, an issuer's operating key with issuer accounts). */
async function vermilionDriver(name: string, collectionAddress: Address, issuer: Wallet = deployer): Promise<GasDriver> {
  const collection = await viem.getContractAt("VermilionCollection", collectionAddress);
  const asIssuer = { account: issuer.account };
  createEditionGas[name] = Number(await gasOf(await collection.write.createEdition([editionParams], asIssuer)));
  const chainId = await publicClient.getChainId();
  let nextNonce = 1n;
  return {
    name,
    address: collectionAddress,
    mint: async (to, quantity) => gasOf(await collection.write.mint([EDITION_ID, to, quantity], asIssuer)),
    airdrop: async (recipients) => gasOf(await collection.write.airdrop([EDITION_ID, recipients], asIssuer)),
    redeem: async (to) => {
      const voucher = { editionId: EDITION_ID, to, quantity: 1n, nonce: nextNonce++, deadline: 2n ** 40n };
      const signature = await issuer.signTypedData(mintVoucherTypedData(chainId, collectionAddress, voucher));
      // Submitted by someone other than the issuer, as a collector or relayer would.
      return gasOf(await collection.write.redeem([voucher, signature], { account: holder.account }));
    },
    cancelVouchers: async (nonces) => gasOf(await collection.write.cancelVouchers([nonces], asIssuer)),
    isVoucherCancelled: async (nonce) => collection.read.isVoucherCancelled([nonce]),
    tokenIdAt: (position) => encodeTokenId(EDITION_ID, position),
    transfer: async (fromIndex, to, tokenId) => {
      const from = wallets[fromIndex]!;
      return gasOf(await collection.write.transferFrom([from.account.address, to, tokenId], { account: from.account }));
    },
    ownerOf: async (tokenId) => getAddress(await collection.read.ownerOf([tokenId])),
    balanceOf: async (owner) => collection.read.balanceOf([owner]),
  };
}

async function openZeppelinDriver(): Promise<GasDriver> {
  const token = await viem.deployContract("OpenZeppelinERC721Bench");
  let nextTokenId = 1n;
  return {
    name: "OpenZeppelin ERC721",
    address: token.address,
    reset: () => {
      nextTokenId = 1n;
    },
    mint: async (to, quantity) => {
      const first = nextTokenId;
      nextTokenId += quantity;
      return quantity === 1n
        ? gasOf(await token.write.mint([to, first]))
        : gasOf(await token.write.mintBatch([to, first, quantity]));
    },
    airdrop: async (recipients) => {
      const first = nextTokenId;
      nextTokenId += BigInt(recipients.length);
      return gasOf(await token.write.airdrop([recipients, first]));
    },
    tokenIdAt: (position) => position,
    transfer: async (fromIndex, to, tokenId) => {
      const from = wallets[fromIndex]!;
      return gasOf(await token.write.transferFrom([from.account.address, to, tokenId], { account: from.account }));
    },
    ownerOf: async (tokenId) => getAddress(await token.read.ownerOf([tokenId])),
    balanceOf: async (owner) => token.read.balanceOf([owner]),
  };
}

async function erc721aDriver(): Promise<GasDriver> {
  const token = await viem.deployContract("ERC721ABench");
  return {
    name: "ERC721A",
    address: token.address,
    mint: async (to, quantity) => gasOf(await token.write.mint([to, quantity])),
    airdrop: async (recipients) => gasOf(await token.write.airdrop([recipients])),
    tokenIdAt: (position) => position,
    transfer: async (fromIndex, to, tokenId) => {
      const from = wallets[fromIndex]!;
      return gasOf(await token.write.transferFrom([from.account.address, to, tokenId], { account: from.account }));
    },
    ownerOf: async (tokenId) => getAddress(await token.read.ownerOf([tokenId])),
    balanceOf: async (owner) => token.read.balanceOf([owner]),
  };
}

/** Gas of deploying one issuer's collection: as a clone through the factory, and as a contract of its own. */
const deploymentGas: Record<string, number> = {};

/** The implementation every clone delegates to: its size (and so its deployment) grows with each function added. */
async function deployImplementation(): Promise<Address> {
  const { contract, deploymentTransaction } = await viem.sendDeploymentTransaction("VermilionCollection");
  const receipt = await publicClient.waitForTransactionReceipt({ hash: deploymentTransaction.hash });
  deploymentGas["the collection implementation (once per platform, shared by every issuer's collection)"] = Number(receipt.gasUsed);
  return contract.address;
}
const implementation = { address: await deployImplementation() };
const factoryDeployment = await viem.sendDeploymentTransaction("VermilionFactory", [implementation.address, deployer.account.address]);
const pragueFactoryGas = Number((await publicClient.waitForTransactionReceipt({ hash: factoryDeployment.deploymentTransaction.hash })).gasUsed);
const factory = factoryDeployment.contract;

/**
 * The older EVM's build (contractBuilds[OLDER_EVM_BUILD], no PUSH0 or MCOPY), deployed the way the platform does on
 * such a chain: its implementation, and a factory cloning it.
 */
async function deployOlderEvmFactory() {
  const code = contractBuilds[OLDER_EVM_BUILD];
  const deployed = async (label: string, bytecode: Hex, args: readonly unknown[]) => {
    const hash = await deployer.deployContract({ abi: [{ type: "constructor", inputs: args.length === 0 ? [] : [{ type: "address" }, { type: "address" }], stateMutability: "nonpayable" }], bytecode, args } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`${label} deployment failed`);
    olderEvmDeploymentGas[label] = Number(receipt.gasUsed);
    return receipt.contractAddress;
  };
  const olderImplementation = await deployed("the collection implementation", code.VermilionCollection.bytecode, []);
  const olderFactory = await deployed("the factory", code.VermilionFactory.bytecode, [olderImplementation, deployer.account.address]);
  return viem.getContractAt("VermilionFactory", olderFactory);
}
/** Deployment gas of the older EVM's build, by what was deployed, with the prague build's beside it. */
const olderEvmDeploymentGas: Record<string, number> = {};
const olderEvmFactory = await deployOlderEvmFactory();

/** A clone through the factory (sent by the platform's key, its deployer) with these admin and issuer. */
async function cloneFromFactory(label: string, roles: { admin: Address; issuer: Address; salt: Hex }, from = factory, record = deploymentGas): Promise<Address> {
  const txHash = await from.write.createCollection([
    {
      name: "Vermilion Clone",
      symbol: "VC",
      admin: roles.admin,
      issuer: roles.issuer,
      contractURI: "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
    },
    roles.salt,
  ]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  record[label] = Number(receipt.gasUsed);
  const [created] = parseEventLogs({ abi: from.abi, eventName: "CollectionCreated", logs: receipt.logs });
  if (!created) throw new Error("factory emitted no CollectionCreated");
  return created.args.collection;
}

async function deployDirect(): Promise<Address> {
  const { contract, deploymentTransaction } = await viem.sendDeploymentTransaction("VermilionCollectionBench");
  const receipt = await publicClient.waitForTransactionReceipt({ hash: deploymentTransaction.hash });
  deploymentGas["a full collection contract of its own"] = Number(receipt.gasUsed);
  return contract.address;
}

const drivers: GasDriver[] = [
  // Today's layout: the platform's key is admin and issuer of every collection.
  await vermilionDriver(
    "Vermilion (EIP-1167 clone)",
    await cloneFromFactory("createCollection (EIP-1167 clone + initialize)", { admin: deployer.account.address, issuer: deployer.account.address, salt: zeroHash }),
  ),
  await vermilionDriver("Vermilion (direct)", await deployDirect()),
  await openZeppelinDriver(),
  await erc721aDriver(),
  // Issuer accounts: admin = the issuer's address, issuing role = its operating key, which sends and signs.
  await vermilionDriver(
    ISSUER_ACCOUNTS,
    await cloneFromFactory("createCollection for issuer accounts (admin: the issuer's address; issuing role: its operating key)", {
      admin: issuerAdmin.account.address,
      issuer: operatingKey.account.address,
      salt: `0x${"01".padStart(64, "0")}`,
    }),
    operatingKey,
  ),
  // The same operations on the older EVM's build: its own section of the report, not a column of the main tables.
  await vermilionDriver(
    OLDER_EVM_CLONE,
    await cloneFromFactory("createCollection (EIP-1167 clone + initialize)", { admin: deployer.account.address, issuer: deployer.account.address, salt: zeroHash }, olderEvmFactory, olderEvmDeploymentGas),
  ),
];

const baseline = await networkHelpers.takeSnapshot();

/** Runs `scenario` from the post-deployment state for every driver, checking its effects before keeping the figure. */
async function measure(
  scenario: string,
  tokens: number,
  run: (driver: GasDriver) => Promise<bigint | undefined>,
): Promise<GasScenarioResult> {
  const gasByContract: Record<string, number | null> = {};
  const firstAddress = freshAddressCounter;
  for (const driver of drivers) {
    freshAddressCounter = firstAddress;
    await baseline.restore();
    driver.reset?.();
    const gas = await run(driver);
    gasByContract[driver.name] = gas === undefined ? null : Number(gas);
  }
  return { scenario, tokens, gasByContract };
}

async function expectOwner(driver: GasDriver, tokenId: bigint, owner: Address): Promise<void> {
  const actual = await driver.ownerOf(tokenId);
  if (actual !== getAddress(owner)) {
    throw new Error(`${driver.name}: owner of ${tokenId} is ${actual}, expected ${owner}`);
  }
}

const scenarios: GasScenarioResult[] = [];
for (const quantity of [1n, 10n, 100n]) {
  scenarios.push(
    await measure(`mint ${quantity} to one address`, Number(quantity), async (driver) => {
      const to = freshAddress();
      const gas = await driver.mint(to, quantity);
      if ((await driver.balanceOf(to)) !== quantity) throw new Error(`${driver.name}: wrong balance after mint`);
      await expectOwner(driver, driver.tokenIdAt(quantity), to);
      return gas;
    }),
  );
}
scenarios.push(
  await measure("airdrop 10 (one each)", 10, async (driver) => {
    const recipients = Array.from({ length: 10 }, freshAddress);
    const gas = await driver.airdrop(recipients);
    for (const [index, recipient] of recipients.entries()) {
      await expectOwner(driver, driver.tokenIdAt(BigInt(index + 1)), recipient);
    }
    return gas;
  }),
);
scenarios.push(
  await measure("redeem a voucher (1 token)", 1, async (driver) => {
    if (!driver.redeem) return undefined;
    const to = freshAddress();
    const gas = await driver.redeem(to);
    await expectOwner(driver, driver.tokenIdAt(1n), to);
    return gas;
  }),
);
/**
 * Nonces the way the platform issues them (`server/editions/issueVoucher.ts`: 128 random bits), so 100 of
 * them fall in 100 different 128-nonce words; derived from a counter, so every run cancels the same ones.
 */
const platformNonces = (count: number) =>
  Array.from({ length: count }, (_, index) => BigInt(keccak256(toHex(`vermilion-bench-nonce-${index}`)).slice(0, 34)));
const cancellationScenarios: Array<[string, bigint[]]> = [
  [CANCEL_ONE, platformNonces(1)],
  [CANCEL_HUNDRED, platformNonces(100)],
  [CANCEL_HUNDRED_ONE_WORD, Array.from({ length: 100 }, (_, index) => BigInt(index + 1))],
];
for (const [scenario, nonces] of cancellationScenarios) {
  scenarios.push(
    await measure(scenario, 0, async (driver) => {
      if (!driver.cancelVouchers || !driver.isVoucherCancelled) return undefined;
      const gas = await driver.cancelVouchers(nonces);
      for (const nonce of nonces) {
        if (!(await driver.isVoucherCancelled(nonce))) throw new Error(`${driver.name}: nonce ${nonce} not cancelled`);
      }
      return gas;
    }),
  );
}
for (const position of [1n, 51n, 100n]) {
  // The batch holder is account 1; the first transfer goes to a fresh account, which then sends it on.
  const firstHolderIndex = 1;
  const secondHolderIndex = 2;
  scenarios.push(
    await measure(`first transferFrom of #${position} of a 100-batch`, 1, async (driver) => {
      await driver.mint(holder.account.address, 100n);
      const tokenId = driver.tokenIdAt(position);
      const gas = await driver.transfer(firstHolderIndex, wallets[secondHolderIndex]!.account.address, tokenId);
      await expectOwner(driver, tokenId, wallets[secondHolderIndex]!.account.address);
      // Neighbours keep their holder: a lazy design must not have moved them.
      if (position > 1n) await expectOwner(driver, tokenId - 1n, holder.account.address);
      if (position < 100n) await expectOwner(driver, tokenId + 1n, holder.account.address);
      return gas;
    }),
  );
  scenarios.push(
    await measure(`second transferFrom of #${position} of a 100-batch`, 1, async (driver) => {
      await driver.mint(holder.account.address, 100n);
      const tokenId = driver.tokenIdAt(position);
      await driver.transfer(firstHolderIndex, wallets[secondHolderIndex]!.account.address, tokenId);
      const to = freshAddress();
      const gas = await driver.transfer(secondHolderIndex, to, tokenId);
      await expectOwner(driver, tokenId, to);
      return gas;
    }),
  );
}

/**
 * What issuer accounts add beside the per-scenario figures: a mint by an issuing key that is not the
 * collection's primary issuer (a key the admin granted later), and the funding key's top-up, with the
 * fee the chain charged, to amortise it over the transactions one top-up pays for.
 */
async function measureIssuerAccounts(): Promise<IssuerAccountsGas> {
  await baseline.restore();
  const issuerAccounts = drivers.find((driver) => driver.name === ISSUER_ACCOUNTS)!;
  const collection = await viem.getContractAt("VermilionCollection", issuerAccounts.address);
  const issuerRole = await collection.read.ISSUER_ROLE();
  await gasOf(await collection.write.grantRole([issuerRole, laterIssuingKey.account.address], { account: issuerAdmin.account }));
  const secondKeyMint = await gasOf(await collection.write.mint([EDITION_ID, freshAddress(), 1n], { account: laterIssuingKey.account }));
  const mintHash = await collection.write.mint([EDITION_ID, freshAddress(), 1n], { account: operatingKey.account });
  const mintReceipt = await publicClient.waitForTransactionReceipt({ hash: mintHash });
  // A top-up: the funding key (the platform's) sends ISSUER_GAS_TOP_UP_ETH to an issuer key with no balance.
  const emptyKey = freshAddress();
  const topUpHash = await deployer.sendTransaction({ to: emptyKey, value: TOP_UP_WEI });
  const topUpReceipt = await publicClient.waitForTransactionReceipt({ hash: topUpHash });
  if ((await publicClient.getBalance({ address: emptyKey })) !== TOP_UP_WEI) throw new Error("the top-up did not arrive");
  return {
    createEditionGas,
    mintBySecondIssuingKeyGas: Number(secondKeyMint),
    mintByOperatingKeyGas: Number(mintReceipt.gasUsed),
    topUpGas: Number(topUpReceipt.gasUsed),
    topUpWei: TOP_UP_WEI.toString(),
    feeWeiPerGas: mintReceipt.effectiveGasPrice.toString(),
  };
}
const issuerAccounts = await measureIssuerAccounts();

const resultsFile = path.join(root, "bench", "results", "gas.json");
/** The figures this run replaces, so the report can show what a contract change moved. */
async function readPreviousRun(): Promise<PreviousGasRun | undefined> {
  try {
    const previous = JSON.parse(await readFile(resultsFile, "utf8")) as GasResults;
    return {
      generatedAt: previous.generatedAt,
      scenarios: previous.scenarios,
      deploymentGas: previous.deploymentGas,
      ...(previous.issuerAccounts ? { createEditionGas: previous.issuerAccounts.createEditionGas } : {}),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

const hardhatPackage = (await import("hardhat/package.json", { with: { type: "json" } })).default;
const results: GasResults = {
  generatedAt: new Date().toISOString(),
  command: "npm run bench:gas",
  // `hardhat run` builds with the "default" profile unless --build-profile names another.
  compiler: describeSolidityBuild(config.solidity, (globalOptions.buildProfile as string | undefined) ?? "default"),
  chain: `Hardhat ${hardhatPackage.version} in-process network (EDR), chain id ${await publicClient.getChainId()}`,
  contracts: drivers.map((driver) => driver.name).filter((name) => name !== OLDER_EVM_CLONE),
  olderEvm: {
    build: OLDER_EVM_BUILD,
    deploymentGas: olderEvmDeploymentGas,
    pragueDeploymentGas: {
      "the collection implementation": deploymentGas["the collection implementation (once per platform, shared by every issuer's collection)"]!,
      "the factory": pragueFactoryGas,
      "createCollection (EIP-1167 clone + initialize)": deploymentGas["createCollection (EIP-1167 clone + initialize)"]!,
    },
  },
  scenarios,
  deploymentGas,
  issuerAccounts,
  previousRun: await readPreviousRun(),
};
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
const table = await writeBenchmarksReport(root);
console.log(table);
