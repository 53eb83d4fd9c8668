import { network } from "hardhat";
import { zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import { deployVermilion, ReceiverBehaviour, TransferPolicy } from "./helpers/deployVermilion.js";
import { eventArgs, eventNames } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

/** The deployed system with edition 1: five serials, free transfers. */
async function withFiveSerialEdition(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const editionId = await fixture.createEdition({ maxSupply: 5 });
  return { ...fixture, editionId };
}

describe("mint", () => {
  test("mint gives consecutive serials to the recipient and emits a Transfer from zero per token", async () => {
    const { collection, alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);

    const receipt = await mint(editionId, alice.account.address, 3n);

    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual(
      [1_000_001n, 1_000_002n, 1_000_003n].map((tokenId) => ({
        from: zeroAddress,
        to: alice.account.address,
        tokenId,
      })),
    );
    for (const tokenId of [1_000_001n, 1_000_002n, 1_000_003n]) {
      expect(await collection.read.ownerOf([tokenId])).toBe(alice.account.address);
    }
    expect(await collection.read.balanceOf([alice.account.address])).toBe(3n);
    expect((await collection.read.edition([editionId])).mintedCount).toBe(3n);
  });

  test("mint continues the serials where the previous mint stopped and returns the first token id", async () => {
    const { collection, issuer, alice, bob, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);
    await mint(editionId, alice.account.address, 2n);

    const { result } = await collection.simulate.mint([editionId, bob.account.address, 2n], {
      account: issuer.account.address,
    });
    await mint(editionId, bob.account.address, 2n);

    expect(result).toBe(1_000_003n);
    expect(await collection.read.ownerOf([1_000_002n])).toBe(alice.account.address);
    expect(await collection.read.ownerOf([1_000_003n])).toBe(bob.account.address);
    expect(await collection.read.ownerOf([1_000_004n])).toBe(bob.account.address);
  });

  test("mint of a single token records its owner like a batch does", async () => {
    const { collection, alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);

    const receipt = await mint(editionId, alice.account.address, 1n);

    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual([
      { from: zeroAddress, to: alice.account.address, tokenId: 1_000_001n },
    ]);
    expect(await collection.read.ownerOf([1_000_001n])).toBe(alice.account.address);
    await expectRevertWith(collection.read.ownerOf([1_000_002n]), "ERC721NonexistentToken", [1_000_002n]);
  });

  test("mint of the last serial seals the edition and emits EditionSealed without closedEarly", async () => {
    const { collection, alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);
    await mint(editionId, alice.account.address, 4n);

    const receipt = await mint(editionId, alice.account.address, 1n);

    expect(eventArgs(receipt, collection.abi, "EditionSealed")).toEqual([
      { editionId, mintedCount: 5n, closedEarly: false },
    ]);
    expect((await collection.read.edition([editionId])).isSealed).toBe(true);
  });

  test("mint emits EditionSealed before the Transfer events of the same mint", async () => {
    const { collection, alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);

    const receipt = await mint(editionId, alice.account.address, 5n);

    expect(eventNames(receipt, collection.abi)).toEqual(["EditionSealed", ...Array<string>(5).fill("Transfer")]);
  });

  test("mint does not emit EditionSealed before the last serial", async () => {
    const { collection, alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);

    const receipt = await mint(editionId, alice.account.address, 4n);

    expect(eventArgs(receipt, collection.abi, "EditionSealed")).toEqual([]);
    expect((await collection.read.edition([editionId])).isSealed).toBe(false);
  });

  test("mint rejects more tokens than the whole supply with EditionSupplyExceeded", async () => {
    const { alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);
    await expectRevertWith(mint(editionId, alice.account.address, 6n), "EditionSupplyExceeded", [editionId, 6n, 5n]);
  });

  test("mint to a contract does not call onERC721Received, so even a rejecting contract receives", async () => {
    const { viem, collection, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithoutData]);

    await mint(editionId, receiver.address, 2n);

    expect(await collection.read.balanceOf([receiver.address])).toBe(2n);
  });

  test("mint of a restricted edition emits Locked after each Transfer", async () => {
    const { collection, alice, createEdition, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);
    const editionId = await createEdition({ transferPolicy: TransferPolicy.Soulbound });

    const receipt = await mint(editionId, alice.account.address, 2n);

    expect(eventNames(receipt, collection.abi)).toEqual(["Transfer", "Transfer", "Locked", "Locked"]);
    expect(eventArgs(receipt, collection.abi, "Locked")).toEqual([{ tokenId: 2_000_001n }, { tokenId: 2_000_002n }]);
  });

  test("mint of a free edition emits no Locked event", async () => {
    const { collection, alice, editionId, mint } = await networkHelpers.loadFixture(withFiveSerialEdition);

    const receipt = await mint(editionId, alice.account.address, 2n);

    expect(eventArgs(receipt, collection.abi, "Locked")).toEqual([]);
  });
});

describe("airdrop", () => {
  test("airdrop gives one serial to each recipient in order", async () => {
    const { collection, issuer, alice, bob, carol, editionId, receiptOf } =
      await networkHelpers.loadFixture(withFiveSerialEdition);
    const recipients = [alice.account.address, bob.account.address, carol.account.address];

    const receipt = await receiptOf(collection.write.airdrop([editionId, recipients], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual(
      recipients.map((to, index) => ({ from: zeroAddress, to, tokenId: 1_000_001n + BigInt(index) })),
    );
    for (const [index, recipient] of recipients.entries()) {
      expect(await collection.read.ownerOf([1_000_001n + BigInt(index)])).toBe(recipient);
      expect(await collection.read.balanceOf([recipient])).toBe(1n);
    }
  });

  test("airdrop returns the first token id and gives a repeated recipient one token per entry", async () => {
    const { collection, issuer, alice, editionId, mint, receiptOf } =
      await networkHelpers.loadFixture(withFiveSerialEdition);
    await mint(editionId, alice.account.address, 1n);
    const recipients = [alice.account.address, alice.account.address];

    const { result } = await collection.simulate.airdrop([editionId, recipients], { account: issuer.account.address });
    await receiptOf(collection.write.airdrop([editionId, recipients], { account: issuer.account }));

    expect(result).toBe(1_000_002n);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(3n);
  });

  test("airdrop of the last serials seals the edition and emits EditionSealed", async () => {
    const { collection, issuer, alice, bob, editionId, mint, receiptOf } =
      await networkHelpers.loadFixture(withFiveSerialEdition);
    await mint(editionId, alice.account.address, 3n);

    const receipt = await receiptOf(
      collection.write.airdrop([editionId, [alice.account.address, bob.account.address]], { account: issuer.account }),
    );

    expect(eventArgs(receipt, collection.abi, "EditionSealed")).toEqual([
      { editionId, mintedCount: 5n, closedEarly: false },
    ]);
  });

  test("airdrop to a sealed edition is rejected with EditionAlreadySealed", async () => {
    const { collection, issuer, alice, editionId, receiptOf } = await networkHelpers.loadFixture(withFiveSerialEdition);
    await receiptOf(collection.write.closeEdition([editionId], { account: issuer.account }));

    await expectRevertWith(
      collection.write.airdrop([editionId, [alice.account.address]], { account: issuer.account }),
      "EditionAlreadySealed",
      [editionId],
    );
  });

  test("airdrop to a contract does not call onERC721Received", async () => {
    const { viem, collection, issuer, editionId, receiptOf } = await networkHelpers.loadFixture(withFiveSerialEdition);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithoutData]);

    await receiptOf(collection.write.airdrop([editionId, [receiver.address]], { account: issuer.account }));

    expect(await collection.read.balanceOf([receiver.address])).toBe(1n);
  });

  test("airdrop of a hold edition emits Locked for each token", async () => {
    const { collection, issuer, alice, bob, createEdition, receiptOf } =
      await networkHelpers.loadFixture(withFiveSerialEdition);
    const editionId = await createEdition({ transferPolicy: TransferPolicy.Hold, holdSeconds: 60 });

    const receipt = await receiptOf(
      collection.write.airdrop([editionId, [alice.account.address, bob.account.address]], { account: issuer.account }),
    );

    expect(eventArgs(receipt, collection.abi, "Locked")).toEqual([{ tokenId: 2_000_001n }, { tokenId: 2_000_002n }]);
  });
});
