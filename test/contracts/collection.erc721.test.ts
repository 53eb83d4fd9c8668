import { network } from "hardhat";
import type { Address } from "viem";
import { getAddress, zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import type { CollectionContract } from "./helpers/deployVermilion.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { deployVermilion, ReceiverBehaviour } from "./helpers/deployVermilion.js";
import { eventArgs } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

/**
 * Edition 1 (1,000 serials): alice holds serials 1..300 from one batch, which crosses the 256-id word
 * boundary between token ids 1,000,191 and 1,000,192; bob then holds serials 301..305 from a second batch.
 */
async function withBatches(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const editionId = await fixture.createEdition({ maxSupply: 1_000 });
  const aliceMint = await fixture.mint(editionId, fixture.alice.account.address, 300n);
  await fixture.mint(editionId, fixture.bob.account.address, 5n);
  const serial = (n: number) => encodeTokenId(editionId, n);
  return { ...fixture, editionId, serial, aliceMint };
}

async function ownersOf(collection: CollectionContract, tokenIds: readonly bigint[]): Promise<Address[]> {
  return Promise.all(tokenIds.map((tokenId) => collection.read.ownerOf([tokenId])));
}

function serialRange(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

describe("ownership across lazy batches", () => {
  test("the word boundary the batch crosses is where the fixture says it is", () => {
    expect(encodeTokenId(1n, 191) >> 8n).not.toBe(encodeTokenId(1n, 192) >> 8n);
    expect(encodeTokenId(1n, 1) >> 8n).toBe(encodeTokenId(1n, 191) >> 8n);
  });

  test("ownerOf resolves every token of a 300-token batch that crosses a 256-id word boundary", async () => {
    const { collection, alice, bob, serial } = await networkHelpers.loadFixture(withBatches);

    const aliceOwners = await ownersOf(collection, serialRange(1, 300).map(serial));
    const bobOwners = await ownersOf(collection, serialRange(301, 305).map(serial));

    expect(new Set(aliceOwners)).toEqual(new Set([alice.account.address]));
    expect(aliceOwners).toHaveLength(300);
    expect(new Set(bobOwners)).toEqual(new Set([bob.account.address]));
  });

  test("a 300-token mint emits one Transfer per token, in serial order", async () => {
    const { collection, alice, serial, aliceMint } = await networkHelpers.loadFixture(withBatches);

    expect(eventArgs(aliceMint, collection.abi, "Transfer")).toEqual(
      serialRange(1, 300).map((n) => ({ from: zeroAddress, to: alice.account.address, tokenId: serial(n) })),
    );
  });

  test("balanceOf counts each batch token", async () => {
    const { collection, alice, bob, carol } = await networkHelpers.loadFixture(withBatches);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(300n);
    expect(await collection.read.balanceOf([bob.account.address])).toBe(5n);
    expect(await collection.read.balanceOf([carol.account.address])).toBe(0n);
  });

  test("ownerOf rejects the unminted ids around the batches with ERC721NonexistentToken", async () => {
    const { collection, serial } = await networkHelpers.loadFixture(withBatches);
    for (const tokenId of [serial(0), serial(306), serial(511), serial(999), encodeTokenId(2n, 1), 0n]) {
      await expectRevertWith(collection.read.ownerOf([tokenId]), "ERC721NonexistentToken", [tokenId]);
    }
  });

  test.each([
    { position: "the batch head", moved: 1 },
    { position: "a middle token", moved: 150 },
    { position: "the last token before the word boundary", moved: 191 },
    { position: "the first token after the word boundary", moved: 192 },
    { position: "the last token of the batch", moved: 300 },
  ])("transferring $position moves only that token", async ({ moved }) => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);

    const receipt = await receiptOf(
      collection.write.transferFrom([alice.account.address, carol.account.address, serial(moved)], {
        account: alice.account,
      }),
    );

    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual([
      { from: alice.account.address, to: carol.account.address, tokenId: serial(moved) },
    ]);
    expect(await collection.read.ownerOf([serial(moved)])).toBe(carol.account.address);
    const neighbours = [moved - 1, moved + 1].filter((n) => n >= 1 && n <= 305);
    for (const neighbour of neighbours) {
      expect(await collection.read.ownerOf([serial(neighbour)])).toBe(
        neighbour <= 300 ? alice.account.address : bob.account.address,
      );
    }
    const everyOwner = await ownersOf(collection, serialRange(1, 305).map(serial));
    expect(everyOwner.filter((owner) => owner === carol.account.address)).toHaveLength(1);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(299n);
    expect(await collection.read.balanceOf([carol.account.address])).toBe(1n);
  });

  test("a token moved out of a batch can move on and come back", async () => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    const tokenId = serial(200);

    await receiptOf(
      collection.write.transferFrom([alice.account.address, carol.account.address, tokenId], { account: alice.account }),
    );
    await receiptOf(
      collection.write.transferFrom([carol.account.address, bob.account.address, tokenId], { account: carol.account }),
    );
    await receiptOf(
      collection.write.transferFrom([bob.account.address, alice.account.address, tokenId], { account: bob.account }),
    );

    expect(await collection.read.ownerOf([tokenId])).toBe(alice.account.address);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(300n);
    expect(await collection.read.balanceOf([bob.account.address])).toBe(5n);
    expect(await collection.read.balanceOf([carol.account.address])).toBe(0n);
  });

  test("a transfer to oneself keeps ownership and balance", async () => {
    const { collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);

    await receiptOf(
      collection.write.transferFrom([alice.account.address, alice.account.address, serial(7)], {
        account: alice.account,
      }),
    );

    expect(await collection.read.ownerOf([serial(7)])).toBe(alice.account.address);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(300n);
  });
});

describe("transferFrom", () => {
  test("transferFrom to a contract does not call onERC721Received", async () => {
    const { viem, collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithoutData]);

    await receiptOf(
      collection.write.transferFrom([alice.account.address, receiver.address, serial(3)], { account: alice.account }),
    );

    expect(await collection.read.ownerOf([serial(3)])).toBe(getAddress(receiver.address));
  });

  test("name and symbol are the ones the factory initialized", async () => {
    const { collection } = await networkHelpers.loadFixture(withBatches);
    expect([await collection.read.name(), await collection.read.symbol()]).toEqual(["Studio Vermilion", "VRML"]);
  });
});

describe("approvals", () => {
  test("approve records the approved address, emits Approval and lets it transfer", async () => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);

    const receipt = await receiptOf(
      collection.write.approve([carol.account.address, serial(10)], { account: alice.account }),
    );
    expect(eventArgs(receipt, collection.abi, "Approval")).toEqual([
      { owner: alice.account.address, approved: carol.account.address, tokenId: serial(10) },
    ]);
    expect(await collection.read.getApproved([serial(10)])).toBe(carol.account.address);

    await receiptOf(
      collection.write.transferFrom([alice.account.address, bob.account.address, serial(10)], {
        account: carol.account,
      }),
    );
    expect(await collection.read.ownerOf([serial(10)])).toBe(bob.account.address);
  });

  test("approving one batch token neither approves nor moves its neighbours", async () => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);

    await receiptOf(collection.write.approve([carol.account.address, serial(192)], { account: alice.account }));

    expect(await collection.read.ownerOf([serial(192)])).toBe(alice.account.address);
    expect(await collection.read.getApproved([serial(191)])).toBe(zeroAddress);
    expect(await collection.read.getApproved([serial(193)])).toBe(zeroAddress);
    expect(await collection.read.ownerOf([serial(193)])).toBe(alice.account.address);
    await expectRevertWith(
      collection.write.transferFrom([alice.account.address, bob.account.address, serial(193)], {
        account: carol.account,
      }),
      "ERC721InsufficientApproval",
      [carol.account.address, serial(193)],
    );
  });

  test("a transfer clears the token's approval", async () => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    await receiptOf(collection.write.approve([carol.account.address, serial(10)], { account: alice.account }));

    await receiptOf(
      collection.write.transferFrom([alice.account.address, bob.account.address, serial(10)], {
        account: alice.account,
      }),
    );

    expect(await collection.read.getApproved([serial(10)])).toBe(zeroAddress);
    await expectRevertWith(
      collection.write.transferFrom([bob.account.address, carol.account.address, serial(10)], {
        account: carol.account,
      }),
      "ERC721InsufficientApproval",
      [carol.account.address, serial(10)],
    );
  });

  test("approving the zero address clears an approval", async () => {
    const { collection, alice, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    await receiptOf(collection.write.approve([carol.account.address, serial(10)], { account: alice.account }));

    const receipt = await receiptOf(collection.write.approve([zeroAddress, serial(10)], { account: alice.account }));

    expect(eventArgs(receipt, collection.abi, "Approval")).toEqual([
      { owner: alice.account.address, approved: zeroAddress, tokenId: serial(10) },
    ]);
    expect(await collection.read.getApproved([serial(10)])).toBe(zeroAddress);
  });

  test("an operator may approve on the owner's behalf, and Approval names the owner", async () => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    await receiptOf(collection.write.setApprovalForAll([bob.account.address, true], { account: alice.account }));

    const receipt = await receiptOf(
      collection.write.approve([carol.account.address, serial(10)], { account: bob.account }),
    );

    expect(eventArgs(receipt, collection.abi, "Approval")).toEqual([
      { owner: alice.account.address, approved: carol.account.address, tokenId: serial(10) },
    ]);
  });

  test("setApprovalForAll emits ApprovalForAll and lets the operator move any token until revoked", async () => {
    const { collection, alice, bob, carol, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);

    const granted = await receiptOf(
      collection.write.setApprovalForAll([carol.account.address, true], { account: alice.account }),
    );
    expect(eventArgs(granted, collection.abi, "ApprovalForAll")).toEqual([
      { owner: alice.account.address, operator: carol.account.address, approved: true },
    ]);
    expect(await collection.read.isApprovedForAll([alice.account.address, carol.account.address])).toBe(true);
    await receiptOf(
      collection.write.transferFrom([alice.account.address, bob.account.address, serial(250)], {
        account: carol.account,
      }),
    );
    expect(await collection.read.ownerOf([serial(250)])).toBe(bob.account.address);

    const revoked = await receiptOf(
      collection.write.setApprovalForAll([carol.account.address, false], { account: alice.account }),
    );
    expect(eventArgs(revoked, collection.abi, "ApprovalForAll")).toEqual([
      { owner: alice.account.address, operator: carol.account.address, approved: false },
    ]);
    expect(await collection.read.isApprovedForAll([alice.account.address, carol.account.address])).toBe(false);
    await expectRevertWith(
      collection.write.transferFrom([alice.account.address, bob.account.address, serial(251)], {
        account: carol.account,
      }),
      "ERC721InsufficientApproval",
      [carol.account.address, serial(251)],
    );
  });

});

describe("safeTransferFrom", () => {
  test("safeTransferFrom to an accepting contract calls onERC721Received with the data", async () => {
    const { viem, collection, alice, bob, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.Accept]);
    await receiptOf(collection.write.setApprovalForAll([bob.account.address, true], { account: alice.account }));

    const receipt = await receiptOf(
      collection.write.safeTransferFrom([alice.account.address, receiver.address, serial(5), "0xc0ffee"], {
        account: bob.account,
      }),
    );

    expect(eventArgs(receipt, receiver.abi, "Received", receiver.address)).toEqual([
      { operator: bob.account.address, from: alice.account.address, tokenId: serial(5), data: "0xc0ffee" },
    ]);
    expect(await collection.read.ownerOf([serial(5)])).toBe(getAddress(receiver.address));
  });

  test("safeTransferFrom without data passes empty data", async () => {
    const { viem, collection, alice, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.Accept]);

    const receipt = await receiptOf(
      collection.write.safeTransferFrom([alice.account.address, receiver.address, serial(5)], {
        account: alice.account,
      }),
    );

    expect(eventArgs(receipt, receiver.abi, "Received", receiver.address)).toEqual([
      { operator: alice.account.address, from: alice.account.address, tokenId: serial(5), data: "0x" },
    ]);
  });

  test("safeTransferFrom to an account without code just transfers", async () => {
    const { collection, alice, bob, serial, receiptOf } = await networkHelpers.loadFixture(withBatches);

    await receiptOf(
      collection.write.safeTransferFrom([alice.account.address, bob.account.address, serial(5)], {
        account: alice.account,
      }),
    );

    expect(await collection.read.ownerOf([serial(5)])).toBe(bob.account.address);
  });

  test.each([
    { behaviour: "answers the wrong value", receiverBehaviour: ReceiverBehaviour.ReturnWrongValue },
    { behaviour: "reverts without data", receiverBehaviour: ReceiverBehaviour.RevertWithoutData },
  ])(
    "safeTransferFrom to a contract that $behaviour is rejected with ERC721InvalidReceiver",
    async ({ receiverBehaviour }) => {
      const { viem, collection, alice, serial } = await networkHelpers.loadFixture(withBatches);
      const receiver = await viem.deployContract("ERC721ReceiverMock", [receiverBehaviour]);

      await expectRevertWith(
        collection.write.safeTransferFrom([alice.account.address, receiver.address, serial(5)], {
          account: alice.account,
        }),
        "ERC721InvalidReceiver",
        [getAddress(receiver.address)],
      );
    },
  );

  test("safeTransferFrom bubbles up a receiver's reason string", async () => {
    const { viem, collection, alice, serial } = await networkHelpers.loadFixture(withBatches);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithReason]);

    await expectRevertWith(
      collection.write.safeTransferFrom([alice.account.address, receiver.address, serial(5)], {
        account: alice.account,
      }),
      "Error",
      ["ERC721ReceiverMock: rejected"],
    );
  });

  test("safeTransferFrom bubbles up a receiver's custom error", async () => {
    const { viem, collection, alice, serial } = await networkHelpers.loadFixture(withBatches);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithCustomError]);

    await expectRevertWith(
      collection.write.safeTransferFrom([alice.account.address, receiver.address, serial(5)], {
        account: alice.account,
      }),
      "ReceiverRejected",
      [serial(5)],
      receiver.abi,
    );
    expect(await collection.read.ownerOf([serial(5)])).toBe(alice.account.address);
  });
});
