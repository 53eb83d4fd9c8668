import { network } from "hardhat";
import { describe, expect, test } from "vitest";

import {
  DEFAULT_ADMIN_ROLE,
  deployVermilion,
  editionParams,
  ISSUER_ROLE,
} from "./helpers/deployVermilion.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { eventArgs } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

/** Edition 1 with two tokens minted to alice. */
async function withMintedEdition(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const editionId = await fixture.createEdition();
  await fixture.mint(editionId, fixture.alice.account.address, 2n);
  return { ...fixture, editionId };
}

describe("pause and unpause", () => {
  test("pause emits Paused and unpause emits Unpaused, naming the admin", async () => {
    const { collection, admin, receiptOf } = await networkHelpers.loadFixture(withMintedEdition);

    const paused = await receiptOf(collection.write.pause({ account: admin.account }));
    expect(eventArgs(paused, collection.abi, "Paused")).toEqual([{ account: admin.account.address }]);
    expect(await collection.read.paused()).toBe(true);

    const unpaused = await receiptOf(collection.write.unpause({ account: admin.account }));
    expect(eventArgs(unpaused, collection.abi, "Unpaused")).toEqual([{ account: admin.account.address }]);
    expect(await collection.read.paused()).toBe(false);
  });

  test("transfers resume after unpause", async () => {
    const { collection, admin, alice, bob, editionId, receiptOf } = await networkHelpers.loadFixture(withMintedEdition);
    await receiptOf(collection.write.pause({ account: admin.account }));
    await receiptOf(collection.write.unpause({ account: admin.account }));

    await receiptOf(
      collection.write.transferFrom([alice.account.address, bob.account.address, encodeTokenId(editionId, 1)], {
        account: alice.account,
      }),
    );

    expect(await collection.read.ownerOf([encodeTokenId(editionId, 1)])).toBe(bob.account.address);
  });

  test("while paused, edition management and approvals still work", async () => {
    const { collection, admin, issuer, alice, bob, carol, editionId, receiptOf } =
      await networkHelpers.loadFixture(withMintedEdition);
    await receiptOf(collection.write.pause({ account: admin.account }));

    await receiptOf(collection.write.createEdition([editionParams(carol.account.address)], { account: issuer.account }));
    await receiptOf(collection.write.closeEdition([editionId], { account: issuer.account }));
    await receiptOf(collection.write.approve([bob.account.address, encodeTokenId(editionId, 1)], { account: alice.account }));

    expect(await collection.read.editionCount()).toBe(2n);
    expect(await collection.read.getApproved([encodeTokenId(editionId, 1)])).toBe(bob.account.address);
  });

});

describe("roles", () => {
  test("the collection starts with the admin and issuer the factory was given, and nobody else", async () => {
    const { collection, factory, deployer, admin, issuer } = await networkHelpers.loadFixture(withMintedEdition);

    expect(await collection.read.ISSUER_ROLE()).toBe(ISSUER_ROLE);
    expect(await collection.read.DEFAULT_ADMIN_ROLE()).toBe(DEFAULT_ADMIN_ROLE);
    expect(await collection.read.hasRole([DEFAULT_ADMIN_ROLE, admin.account.address])).toBe(true);
    expect(await collection.read.hasRole([ISSUER_ROLE, issuer.account.address])).toBe(true);
    expect(await collection.read.hasRole([ISSUER_ROLE, admin.account.address])).toBe(false);
    expect(await collection.read.hasRole([DEFAULT_ADMIN_ROLE, issuer.account.address])).toBe(false);
    for (const outsider of [deployer.account.address, factory.address]) {
      expect(await collection.read.hasRole([DEFAULT_ADMIN_ROLE, outsider])).toBe(false);
      expect(await collection.read.hasRole([ISSUER_ROLE, outsider])).toBe(false);
    }
    expect(await collection.read.getRoleAdmin([ISSUER_ROLE])).toBe(DEFAULT_ADMIN_ROLE);
  });

  test("the admin grants the issuer role with RoleGranted, and the new issuer can mint", async () => {
    const { collection, admin, bob, editionId, receiptOf } = await networkHelpers.loadFixture(withMintedEdition);

    const receipt = await receiptOf(
      collection.write.grantRole([ISSUER_ROLE, bob.account.address], { account: admin.account }),
    );
    expect(eventArgs(receipt, collection.abi, "RoleGranted")).toEqual([
      { role: ISSUER_ROLE, account: bob.account.address, sender: admin.account.address },
    ]);

    await receiptOf(collection.write.mint([editionId, bob.account.address, 1n], { account: bob.account }));
    expect(await collection.read.balanceOf([bob.account.address])).toBe(1n);
  });

  test("the admin revokes the issuer role with RoleRevoked, after which minting is refused", async () => {
    const { collection, admin, issuer, alice, editionId, receiptOf } =
      await networkHelpers.loadFixture(withMintedEdition);

    const receipt = await receiptOf(
      collection.write.revokeRole([ISSUER_ROLE, issuer.account.address], { account: admin.account }),
    );
    expect(eventArgs(receipt, collection.abi, "RoleRevoked")).toEqual([
      { role: ISSUER_ROLE, account: issuer.account.address, sender: admin.account.address },
    ]);

    await expectRevertWith(
      collection.write.mint([editionId, alice.account.address, 1n], { account: issuer.account }),
      "AccessControlUnauthorizedAccount",
      [issuer.account.address, ISSUER_ROLE],
    );
  });

  test("an issuer may renounce its own role, emitting RoleRevoked", async () => {
    const { collection, issuer, receiptOf } = await networkHelpers.loadFixture(withMintedEdition);

    const receipt = await receiptOf(
      collection.write.renounceRole([ISSUER_ROLE, issuer.account.address], { account: issuer.account }),
    );

    expect(eventArgs(receipt, collection.abi, "RoleRevoked")).toEqual([
      { role: ISSUER_ROLE, account: issuer.account.address, sender: issuer.account.address },
    ]);
    expect(await collection.read.hasRole([ISSUER_ROLE, issuer.account.address])).toBe(false);
  });

});
