import { network } from "hardhat";
import type { Hex } from "viem";
import { concat, getAddress, keccak256, stringToHex, zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import {
  DEFAULT_ADMIN_ROLE,
  defaultCollectionParams,
  DEPLOYER_ROLE,
  deployVermilion,
  ISSUER_ROLE,
} from "./helpers/deployVermilion.js";
import { eventArgs } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

const salt = keccak256(stringToHex("factory test salt"));

/** The EIP-1167 minimal proxy runtime code that delegates to `implementation`. */
function minimalProxyCode(implementation: Hex): Hex {
  return concat(["0x363d3d373d3d3d363d73", implementation, "0x5af43d82803e903d91602b57fd5bf3"]).toLowerCase() as Hex;
}

describe("VermilionFactory deployment", () => {
  test("the constructor records the implementation and gives the admin both factory roles", async () => {
    const { factory, implementation, deployer } = await networkHelpers.loadFixture(deployVermilion);

    expect(await factory.read.implementation()).toBe(getAddress(implementation.address));
    expect(await factory.read.DEPLOYER_ROLE()).toBe(DEPLOYER_ROLE);
    expect(await factory.read.DEFAULT_ADMIN_ROLE()).toBe(DEFAULT_ADMIN_ROLE);
    expect(await factory.read.hasRole([DEFAULT_ADMIN_ROLE, deployer.account.address])).toBe(true);
    expect(await factory.read.hasRole([DEPLOYER_ROLE, deployer.account.address])).toBe(true);
    expect(await factory.read.getRoleAdmin([DEPLOYER_ROLE])).toBe(DEFAULT_ADMIN_ROLE);
  });

  test("the constructor rejects an implementation without code with ImplementationHasNoCode", async () => {
    const { viem, factory, deployer, outsider } = await networkHelpers.loadFixture(deployVermilion);

    for (const implementation of [outsider.account.address, zeroAddress]) {
      await expectRevertWith(
        viem.deployContract("VermilionFactory", [implementation, deployer.account.address]),
        "ImplementationHasNoCode",
        [implementation],
        factory.abi,
      );
    }
  });

  test("the factory supports ERC-165 and IAccessControl", async () => {
    const { factory } = await networkHelpers.loadFixture(deployVermilion);
    expect(await factory.read.supportsInterface(["0x01ffc9a7"])).toBe(true);
    expect(await factory.read.supportsInterface(["0x7965db0b"])).toBe(true);
    expect(await factory.read.supportsInterface(["0xffffffff"])).toBe(false);
  });
});

describe("createCollection", () => {
  test("createCollection clones at the predicted address and emits CollectionCreated", async () => {
    const { factory, deployer, admin, issuer, createCollection } = await networkHelpers.loadFixture(deployVermilion);
    const predicted = await factory.read.predictCollectionAddress([deployer.account.address, salt]);

    const { collection, receipt } = await createCollection(salt);

    expect(collection.address).toBe(predicted);
    expect(eventArgs(receipt, factory.abi, "CollectionCreated", factory.address)).toEqual([
      {
        collection: predicted,
        admin: admin.account.address,
        issuer: issuer.account.address,
        name: defaultCollectionParams.name,
        symbol: defaultCollectionParams.symbol,
        salt,
      },
    ]);
    expect(await factory.read.isCollection([predicted])).toBe(true);
  });

  test("createCollection deploys an EIP-1167 clone of the implementation", async () => {
    const { publicClient, implementation, createCollection } = await networkHelpers.loadFixture(deployVermilion);

    const { collection } = await createCollection(salt);

    expect(await publicClient.getCode({ address: collection.address })).toBe(
      minimalProxyCode(implementation.address),
    );
  });

  test("createCollection initializes the clone in the same transaction", async () => {
    const { factory, deployer, admin, issuer, createCollection } = await networkHelpers.loadFixture(deployVermilion);

    const { collection, receipt } = await createCollection(salt, {
      admin: admin.account.address,
      issuer: issuer.account.address,
    });

    expect(eventArgs(receipt, collection.abi, "Initialized", collection.address)).toEqual([{ version: 1n }]);
    expect(eventArgs(receipt, collection.abi, "RoleGranted", collection.address)).toEqual([
      { role: DEFAULT_ADMIN_ROLE, account: admin.account.address, sender: getAddress(factory.address) },
      { role: ISSUER_ROLE, account: issuer.account.address, sender: getAddress(factory.address) },
    ]);
    expect(await collection.read.name()).toBe(defaultCollectionParams.name);
    expect(await collection.read.symbol()).toBe(defaultCollectionParams.symbol);
    expect(await collection.read.contractURI()).toBe(defaultCollectionParams.contractURI);
    expect(await collection.read.hasRole([DEFAULT_ADMIN_ROLE, admin.account.address])).toBe(true);
    expect(await collection.read.hasRole([ISSUER_ROLE, issuer.account.address])).toBe(true);
    for (const account of [factory.address, deployer.account.address]) {
      expect(await collection.read.hasRole([DEFAULT_ADMIN_ROLE, account])).toBe(false);
      expect(await collection.read.hasRole([ISSUER_ROLE, account])).toBe(false);
    }
  });

  test("collections created by the factory keep separate state", async () => {
    const { collection, createCollection, createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await createEdition();

    const { collection: second } = await createCollection(salt);

    expect(await collection.read.editionCount()).toBe(1n);
    expect(await second.read.editionCount()).toBe(0n);
  });

  test("isCollection is false for anything the factory did not create", async () => {
    const { factory, implementation, outsider } = await networkHelpers.loadFixture(deployVermilion);
    for (const address of [implementation.address, outsider.account.address, factory.address, zeroAddress]) {
      expect(await factory.read.isCollection([address])).toBe(false);
    }
  });

  test("the clone address depends on the deployer, so another deployer's salt cannot be taken", async () => {
    const { factory, deployer, outsider, admin, issuer, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    await receiptOf(factory.write.grantRole([DEPLOYER_ROLE, outsider.account.address], { account: deployer.account }));
    const forDeployer = await factory.read.predictCollectionAddress([deployer.account.address, salt]);
    const forOutsider = await factory.read.predictCollectionAddress([outsider.account.address, salt]);

    await receiptOf(
      factory.write.createCollection(
        [{ ...defaultCollectionParams, admin: admin.account.address, issuer: issuer.account.address }, salt],
        { account: outsider.account },
      ),
    );

    expect(forOutsider).not.toBe(forDeployer);
    expect(await factory.read.isCollection([forOutsider])).toBe(true);
    expect(await factory.read.isCollection([forDeployer])).toBe(false);
  });

  test("createCollection rejects a zero admin or issuer with the collection's ZeroAddress", async () => {
    const { factory, deployer, issuer, admin, createCollection, collection } =
      await networkHelpers.loadFixture(deployVermilion);

    await expectRevertWith(
      createCollection(salt, { admin: zeroAddress, issuer: issuer.account.address }),
      "ZeroAddress",
      [],
      collection.abi,
    );
    await expectRevertWith(
      createCollection(salt, { admin: admin.account.address, issuer: zeroAddress }),
      "ZeroAddress",
      [],
      collection.abi,
    );
    const predicted = await factory.read.predictCollectionAddress([deployer.account.address, salt]);
    expect(await factory.read.isCollection([predicted])).toBe(false);
  });

  test("the factory admin grants the deployer role with RoleGranted, and the new deployer can create", async () => {
    const { factory, deployer, outsider, receiptOf } = await networkHelpers.loadFixture(deployVermilion);

    const receipt = await receiptOf(
      factory.write.grantRole([DEPLOYER_ROLE, outsider.account.address], { account: deployer.account }),
    );

    expect(eventArgs(receipt, factory.abi, "RoleGranted")).toEqual([
      { role: DEPLOYER_ROLE, account: outsider.account.address, sender: deployer.account.address },
    ]);
    expect(await factory.read.hasRole([DEPLOYER_ROLE, outsider.account.address])).toBe(true);
  });

  test("grantRole on the factory rejects a non-admin with AccessControlUnauthorizedAccount", async () => {
    const { factory, outsider } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(
      factory.write.grantRole([DEPLOYER_ROLE, outsider.account.address], { account: outsider.account }),
      "AccessControlUnauthorizedAccount",
      [outsider.account.address, DEFAULT_ADMIN_ROLE],
    );
  });

  test("a deployer may renounce its role, but not someone else's (AccessControlBadConfirmation)", async () => {
    const { factory, deployer, outsider, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(
      factory.write.renounceRole([DEPLOYER_ROLE, deployer.account.address], { account: outsider.account }),
      "AccessControlBadConfirmation",
    );

    const receipt = await receiptOf(
      factory.write.renounceRole([DEPLOYER_ROLE, deployer.account.address], { account: deployer.account }),
    );

    expect(eventArgs(receipt, factory.abi, "RoleRevoked")).toEqual([
      { role: DEPLOYER_ROLE, account: deployer.account.address, sender: deployer.account.address },
    ]);
    expect(await factory.read.hasRole([DEPLOYER_ROLE, deployer.account.address])).toBe(false);
  });

  test("a revoked deployer can no longer create collections", async () => {
    const { factory, deployer, outsider, admin, issuer, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    await receiptOf(factory.write.grantRole([DEPLOYER_ROLE, outsider.account.address], { account: deployer.account }));

    const receipt = await receiptOf(
      factory.write.revokeRole([DEPLOYER_ROLE, outsider.account.address], { account: deployer.account }),
    );

    expect(eventArgs(receipt, factory.abi, "RoleRevoked")).toEqual([
      { role: DEPLOYER_ROLE, account: outsider.account.address, sender: deployer.account.address },
    ]);
    await expectRevertWith(
      factory.write.createCollection(
        [{ ...defaultCollectionParams, admin: admin.account.address, issuer: issuer.account.address }, salt],
        { account: outsider.account },
      ),
      "AccessControlUnauthorizedAccount",
      [outsider.account.address, DEPLOYER_ROLE],
    );
  });
});
