import { network } from "hardhat";
import { maxUint256, zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import { deployVermilion } from "./helpers/deployVermilion.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { eventArgs, eventNames } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

/** Edition 1 (four serials) minted out to alice in one batch. */
async function withSoldOutEdition(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const editionId = await fixture.createEdition({ maxSupply: 4 });
  await fixture.mint(editionId, fixture.alice.account.address, 4n);
  const serial = (n: number) => encodeTokenId(editionId, n);
  return { ...fixture, editionId, serial };
}

describe("burn", () => {
  test("burn by the holder emits Transfer to zero then TokenBurned with the reason code", async () => {
    const { collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);

    const receipt = await receiptOf(collection.write.burn([serial(2), 7n], { account: alice.account }));

    expect(eventNames(receipt, collection.abi)).toEqual(["Transfer", "TokenBurned"]);
    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual([
      { from: alice.account.address, to: zeroAddress, tokenId: serial(2) },
    ]);
    expect(eventArgs(receipt, collection.abi, "TokenBurned")).toEqual([
      { tokenId: serial(2), holder: alice.account.address, reasonCode: 7n },
    ]);
  });

  test("burn lowers the balance, counts the burn and makes the token nonexistent", async () => {
    const { collection, alice, editionId, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);

    await receiptOf(collection.write.burn([serial(2), 0n], { account: alice.account }));

    expect(await collection.read.balanceOf([alice.account.address])).toBe(3n);
    const edition = await collection.read.edition([editionId]);
    expect([edition.mintedCount, edition.burnedCount]).toEqual([4n, 1n]);
    await expectRevertWith(collection.read.ownerOf([serial(2)]), "ERC721NonexistentToken", [serial(2)]);
    await expectRevertWith(collection.read.getApproved([serial(2)]), "ERC721NonexistentToken", [serial(2)]);
  });

  test("burning a token in the middle of a batch leaves its neighbours with their holder", async () => {
    const { collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);

    await receiptOf(collection.write.burn([serial(2), 0n], { account: alice.account }));

    expect(await collection.read.ownerOf([serial(1)])).toBe(alice.account.address);
    expect(await collection.read.ownerOf([serial(3)])).toBe(alice.account.address);
  });

  test("burn accepts any reason code", async () => {
    const { collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);

    const receipt = await receiptOf(collection.write.burn([serial(1), maxUint256], { account: alice.account }));

    expect(eventArgs(receipt, collection.abi, "TokenBurned")).toEqual([
      { tokenId: serial(1), holder: alice.account.address, reasonCode: maxUint256 },
    ]);
  });

  test("an approved address may burn, and TokenBurned names the holder", async () => {
    const { collection, alice, bob, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);
    await receiptOf(collection.write.approve([bob.account.address, serial(3)], { account: alice.account }));

    const receipt = await receiptOf(collection.write.burn([serial(3), 1n], { account: bob.account }));

    expect(eventArgs(receipt, collection.abi, "TokenBurned")).toEqual([
      { tokenId: serial(3), holder: alice.account.address, reasonCode: 1n },
    ]);
  });

  test("an operator may burn", async () => {
    const { collection, alice, carol, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);
    await receiptOf(collection.write.setApprovalForAll([carol.account.address, true], { account: alice.account }));

    await receiptOf(collection.write.burn([serial(4), 0n], { account: carol.account }));

    expect(await collection.read.balanceOf([alice.account.address])).toBe(3n);
  });

  test("burning a burned or unminted token is rejected with ERC721NonexistentToken", async () => {
    const { collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);
    await receiptOf(collection.write.burn([serial(1), 0n], { account: alice.account }));

    for (const tokenId of [serial(1), serial(5), encodeTokenId(2n, 1)]) {
      await expectRevertWith(
        collection.write.burn([tokenId, 0n], { account: alice.account }),
        "ERC721NonexistentToken",
        [tokenId],
      );
    }
  });

  test("a burned token cannot be transferred or approved", async () => {
    const { collection, alice, bob, serial, receiptOf } = await networkHelpers.loadFixture(withSoldOutEdition);
    await receiptOf(collection.write.burn([serial(1), 0n], { account: alice.account }));

    await expectRevertWith(
      collection.write.transferFrom([alice.account.address, bob.account.address, serial(1)], {
        account: alice.account,
      }),
      "ERC721NonexistentToken",
      [serial(1)],
    );
    await expectRevertWith(
      collection.write.approve([bob.account.address, serial(1)], { account: alice.account }),
      "ERC721NonexistentToken",
      [serial(1)],
    );
  });

  test("burning does not free a serial: the sealed edition stays sealed", async () => {
    const { collection, alice, editionId, serial, mint, receiptOf } =
      await networkHelpers.loadFixture(withSoldOutEdition);
    await receiptOf(collection.write.burn([serial(4), 0n], { account: alice.account }));

    await expectRevertWith(mint(editionId, alice.account.address, 1n), "EditionAlreadySealed", [editionId]);
  });
});
