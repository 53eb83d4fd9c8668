import { network } from "hardhat";
import type { TransactionReceipt } from "viem";
import { describe, expect, test } from "vitest";

import { deployVermilion, TransferPolicy } from "./helpers/deployVermilion.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { eventArgs, eventNames } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

const holdSeconds = 3_600n;

/**
 * Three editions, each with two tokens minted to alice in one batch: `hold` (one-hour hold),
 * `soulbound` and `free`. `mintedAt` and `soulboundMintedAt` are the timestamps of the blocks that minted
 * the hold and soulbound tokens.
 */
async function withPolicies(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const hold = await fixture.createEdition({ transferPolicy: TransferPolicy.Hold, holdSeconds: Number(holdSeconds) });
  const soulbound = await fixture.createEdition({ transferPolicy: TransferPolicy.Soulbound });
  const free = await fixture.createEdition({ transferPolicy: TransferPolicy.Free });
  const holdMint = await fixture.mint(hold, fixture.alice.account.address, 2n);
  const soulboundMint = await fixture.mint(soulbound, fixture.alice.account.address, 2n);
  await fixture.mint(free, fixture.alice.account.address, 2n);

  async function timestampOf(receipt: TransactionReceipt): Promise<bigint> {
    return (await fixture.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
  }

  /** Alice sends `tokenId` to bob. */
  async function aliceToBob(tokenId: bigint) {
    return fixture.receiptOf(
      fixture.collection.write.transferFrom([fixture.alice.account.address, fixture.bob.account.address, tokenId], {
        account: fixture.alice.account,
      }),
    );
  }

  /** The issuer loosens `editionId` to `policy` with `seconds` of hold. */
  async function loosen(editionId: bigint, policy: number, seconds: number) {
    return fixture.receiptOf(
      fixture.collection.write.loosenTransferPolicy([editionId, policy, seconds], { account: fixture.issuer.account }),
    );
  }

  return {
    ...fixture,
    hold,
    soulbound,
    free,
    mintedAt: await timestampOf(holdMint),
    soulboundMintedAt: await timestampOf(soulboundMint),
    timestampOf,
    aliceToBob,
    loosen,
  };
}

describe("Hold policy", () => {
  test("a Hold token moves in the block whose timestamp equals unlocksAt", async () => {
    const { collection, bob, hold, mintedAt, aliceToBob } = await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(hold, 1);
    await networkHelpers.time.setNextBlockTimestamp(mintedAt + holdSeconds);

    await aliceToBob(tokenId);

    expect(await collection.read.ownerOf([tokenId])).toBe(bob.account.address);
  });

  test("locked turns false once the hold has passed", async () => {
    const { collection, hold, mintedAt } = await networkHelpers.loadFixture(withPolicies);
    await networkHelpers.time.increaseTo(mintedAt + holdSeconds);

    expect(await collection.read.locked([encodeTokenId(hold, 1)])).toBe(false);
  });

  test("a transfer under Hold emits Locked before Transfer and restarts the hold for the new holder", async () => {
    const { collection, alice, bob, hold, mintedAt, timestampOf, aliceToBob } =
      await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(hold, 1);
    await networkHelpers.time.increaseTo(mintedAt + holdSeconds);

    const receipt = await aliceToBob(tokenId);

    expect(eventNames(receipt, collection.abi)).toEqual(["Locked", "Transfer"]);
    expect(eventArgs(receipt, collection.abi, "Locked")).toEqual([{ tokenId }]);
    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual([
      { from: alice.account.address, to: bob.account.address, tokenId },
    ]);
    const transferredAt = await timestampOf(receipt);
    expect(await collection.read.unlocksAt([tokenId])).toBe(transferredAt + holdSeconds);
    expect(await collection.read.locked([tokenId])).toBe(true);
    // Its neighbour's own hold, counted from the mint, has passed: it can move now.
    expect(await collection.read.unlocksAt([encodeTokenId(hold, 2)])).toBe(0n);
    expect(await collection.read.locked([encodeTokenId(hold, 2)])).toBe(false);
  });

  test("approving a held batch token keeps its acquisition time, so the hold does not restart", async () => {
    const { collection, alice, bob, hold, mintedAt, receiptOf } = await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(hold, 2);
    await networkHelpers.time.increase(600);

    await receiptOf(collection.write.approve([bob.account.address, tokenId], { account: alice.account }));

    expect(await collection.read.unlocksAt([tokenId])).toBe(mintedAt + holdSeconds);
    await networkHelpers.time.setNextBlockTimestamp(mintedAt + holdSeconds);
    await receiptOf(
      collection.write.transferFrom([alice.account.address, bob.account.address, tokenId], { account: bob.account }),
    );
    expect(await collection.read.ownerOf([tokenId])).toBe(bob.account.address);
  });

  test("a holder sending a Hold token to themselves restarts their own hold", async () => {
    const { collection, alice, hold, mintedAt, timestampOf, receiptOf } = await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(hold, 1);
    await networkHelpers.time.increaseTo(mintedAt + holdSeconds);

    const receipt = await receiptOf(
      collection.write.transferFrom([alice.account.address, alice.account.address, tokenId], {
        account: alice.account,
      }),
    );

    expect(await collection.read.unlocksAt([tokenId])).toBe((await timestampOf(receipt)) + holdSeconds);
  });

  test("unlocksAt is 0 once a Hold token's hold has passed, as the interface documents", async () => {
    const { collection, hold, mintedAt } = await networkHelpers.loadFixture(withPolicies);
    await networkHelpers.time.increaseTo(mintedAt + holdSeconds + 10n);

    expect(await collection.read.locked([encodeTokenId(hold, 1)])).toBe(false);
    expect(await collection.read.unlocksAt([encodeTokenId(hold, 1)])).toBe(0n);
  });

});

describe("Soulbound and Free policies", () => {
  test("a Free token is unlocked from the start", async () => {
    const { collection, bob, free, aliceToBob } = await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(free, 2);

    expect(await collection.read.unlocksAt([tokenId])).toBe(0n);
    expect(await collection.read.locked([tokenId])).toBe(false);
    const receipt = await aliceToBob(tokenId);

    expect(eventNames(receipt, collection.abi)).toEqual(["Transfer"]);
    expect(await collection.read.ownerOf([tokenId])).toBe(bob.account.address);
  });

  test("locked and unlocksAt reject unminted and burned tokens with ERC721NonexistentToken", async () => {
    const { collection, alice, soulbound, receiptOf } = await networkHelpers.loadFixture(withPolicies);
    const burned = encodeTokenId(soulbound, 1);
    const unminted = encodeTokenId(soulbound, 3);
    await receiptOf(collection.write.burn([burned, 0n], { account: alice.account }));

    for (const tokenId of [burned, unminted]) {
      await expectRevertWith(collection.read.unlocksAt([tokenId]), "ERC721NonexistentToken", [tokenId]);
      await expectRevertWith(collection.read.locked([tokenId]), "ERC721NonexistentToken", [tokenId]);
    }
  });

  test("burning a locked token is allowed", async () => {
    const { collection, alice, hold, soulbound, receiptOf } = await networkHelpers.loadFixture(withPolicies);

    await receiptOf(collection.write.burn([encodeTokenId(soulbound, 1), 0n], { account: alice.account }));
    await receiptOf(collection.write.burn([encodeTokenId(hold, 1), 0n], { account: alice.account }));

    expect(await collection.read.balanceOf([alice.account.address])).toBe(4n);
    await expectRevertWith(collection.read.ownerOf([encodeTokenId(soulbound, 1)]), "ERC721NonexistentToken", [
      encodeTokenId(soulbound, 1),
    ]);
  });
});

describe("loosenTransferPolicy", () => {
  test("loosening Soulbound to Hold emits TransferPolicyUpdated and counts the hold from acquisition", async () => {
    const { collection, soulbound, soulboundMintedAt, loosen, aliceToBob } =
      await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(soulbound, 1);

    const receipt = await loosen(soulbound, TransferPolicy.Hold, 60);

    expect(eventArgs(receipt, collection.abi, "TransferPolicyUpdated")).toEqual([
      { editionId: soulbound, transferPolicy: TransferPolicy.Hold, holdSeconds: 60n },
    ]);
    const edition = await collection.read.edition([soulbound]);
    expect([edition.transferPolicy, edition.holdSeconds]).toEqual([TransferPolicy.Hold, 60n]);
    expect(await collection.read.unlocksAt([tokenId])).toBe(soulboundMintedAt + 60n);
    await networkHelpers.time.setNextBlockTimestamp(soulboundMintedAt + 60n);
    const transfer = await aliceToBob(tokenId);
    expect(eventNames(transfer, collection.abi)).toEqual(["Locked", "Transfer"]);
  });

  test("loosening Soulbound to Free unlocks every token at once and stops Locked events", async () => {
    const { collection, alice, soulbound, loosen, aliceToBob, mint } = await networkHelpers.loadFixture(withPolicies);
    const tokenId = encodeTokenId(soulbound, 2);

    await loosen(soulbound, TransferPolicy.Free, 0);

    expect(await collection.read.locked([tokenId])).toBe(false);
    expect(await collection.read.unlocksAt([tokenId])).toBe(0n);
    const transfer = await aliceToBob(tokenId);
    expect(eventNames(transfer, collection.abi)).toEqual(["Transfer"]);
    const laterMint = await mint(soulbound, alice.account.address, 1n);
    expect(eventNames(laterMint, collection.abi)).toEqual(["Transfer"]);
  });

  test("shortening a hold to one second (already past) unlocks the held tokens at once", async () => {
    const { collection, hold, mintedAt, loosen } = await networkHelpers.loadFixture(withPolicies);

    const receipt = await loosen(hold, TransferPolicy.Hold, 1);

    expect(eventArgs(receipt, collection.abi, "TransferPolicyUpdated")).toEqual([
      { editionId: hold, transferPolicy: TransferPolicy.Hold, holdSeconds: 1n },
    ]);
    expect(mintedAt + 1n).toBeLessThan(await networkHelpers.time.latest().then(BigInt));
    expect(await collection.read.unlocksAt([encodeTokenId(hold, 1)])).toBe(0n);
  });

  test("loosening Hold to Free lets held tokens move immediately", async () => {
    const { collection, bob, hold, loosen, aliceToBob } = await networkHelpers.loadFixture(withPolicies);

    await loosen(hold, TransferPolicy.Free, 0);
    await aliceToBob(encodeTokenId(hold, 1));

    expect(await collection.read.ownerOf([encodeTokenId(hold, 1)])).toBe(bob.account.address);
  });

});
