import { network } from "hardhat";
import { getAddress, keccak256, toHex } from "viem";
import { describe, expect, test } from "vitest";

import vermilionCollectionModule from "../../ignition/modules/VermilionCollection.js";
import vermilionFactoryModule, { olderEvmFactoryModule } from "../../ignition/modules/VermilionFactory.js";
import { identifyFactoryBuild } from "vermilion-verify/checkContractIdentity.js";

describe("Ignition modules", () => {
  test("the factory module deploys an implementation that cannot be initialized and a factory that clones it", async () => {
    const connection = await network.create();
    const [deployer] = await connection.viem.getWalletClients();
    const { implementation, factory } = await connection.ignition.deploy(vermilionFactoryModule, { displayUi: false });

    expect(getAddress(await factory.read.implementation())).toBe(getAddress(implementation.address));
    const deployerRole = keccak256(toHex("DEPLOYER_ROLE"));
    expect(await factory.read.hasRole([deployerRole, deployer!.account.address])).toBe(true);
    await expect(
      implementation.simulate.initialize(["X", "X", deployer!.account.address, deployer!.account.address, ""]),
    ).rejects.toThrow(/InvalidInitialization/);
  });

  test("the older EVM's module deploys the istanbul build, which the verifier recognises as such", async () => {
    const connection = await network.create();
    const publicClient = await connection.viem.getPublicClient();
    const { implementation, factory } = await connection.ignition.deploy(olderEvmFactoryModule("istanbul"), { displayUi: false });
    expect(getAddress(await factory.read.implementation())).toBe(getAddress(implementation.address));
    expect(identifyFactoryBuild((await publicClient.getCode({ address: factory.address }))!)?.name).toBe("istanbul");
    const prague = await connection.ignition.deploy(vermilionFactoryModule, { displayUi: false });
    expect(identifyFactoryBuild((await publicClient.getCode({ address: prague.factory.address }))!)?.name).toBe("prague");
  });

  test("the collection module clones an initialized collection with the given parameters", async () => {
    const connection = await network.create();
    const [, admin, issuer] = await connection.viem.getWalletClients();
    const { factory, collection } = await connection.ignition.deploy(vermilionCollectionModule, {
      displayUi: false,
      parameters: {
        VermilionCollection: {
          name: "Dunhuang Murals",
          symbol: "DH",
          admin: admin!.account.address,
          issuer: issuer!.account.address,
          contractURI: "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
        },
      },
    });

    expect(await collection.read.name()).toBe("Dunhuang Murals");
    expect(await collection.read.symbol()).toBe("DH");
    expect(await factory.read.isCollection([collection.address])).toBe(true);
    const issuerRole = await collection.read.ISSUER_ROLE();
    expect(await collection.read.hasRole([issuerRole, issuer!.account.address])).toBe(true);
    expect(await collection.read.hasRole([await collection.read.DEFAULT_ADMIN_ROLE(), admin!.account.address])).toBe(
      true,
    );
  });
});
