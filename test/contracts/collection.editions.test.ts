import { network } from "hardhat";
import { zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import {
  contentSha256,
  deployVermilion,
  editionParams,
  mediaCid,
  metadataCid,
  TransferPolicy,
} from "./helpers/deployVermilion.js";
import { eventArgs } from "./helpers/events.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

const { networkHelpers } = await network.connect();

describe("createEdition", () => {
  test("createEdition stores the edition, numbers it from 1 and emits EditionCreated", async () => {
    const { collection, issuer, carol, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    const params = editionParams(carol.account.address, {
      maxSupply: 250,
      royaltyBps: 750,
      transferPolicy: TransferPolicy.Hold,
      holdSeconds: 3600,
    });

    const receipt = await receiptOf(collection.write.createEdition([params], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "EditionCreated")).toEqual([
      {
        editionId: 1n,
        maxSupply: 250n,
        metadataCid,
        mediaCid,
        contentSha256,
        royaltyReceiver: carol.account.address,
        royaltyBps: 750n,
        transferPolicy: TransferPolicy.Hold,
        holdSeconds: 3600n,
      },
    ]);
    expect(await collection.read.editionCount()).toBe(1n);
    expect(await collection.read.edition([1n])).toEqual({
      editionId: 1n,
      maxSupply: 250n,
      mintedCount: 0n,
      burnedCount: 0n,
      isSealed: false,
      metadataFrozen: false,
      metadataCid,
      mediaCid,
      contentSha256,
      royaltyReceiver: carol.account.address,
      royaltyBps: 750n,
      transferPolicy: TransferPolicy.Hold,
      holdSeconds: 3600n,
    });
  });

  test("createEdition returns consecutive ids", async () => {
    const { collection, issuer, carol, createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await createEdition();

    const { result } = await collection.simulate.createEdition([editionParams(carol.account.address)], {
      account: issuer.account.address,
    });

    expect(result).toBe(2n);
    expect(await createEdition()).toBe(2n);
    expect(await createEdition()).toBe(3n);
    expect(await collection.read.editionCount()).toBe(3n);
  });

  test("createEdition accepts the boundary values: 999,999 serials, 128-byte CIDs, 100% royalty", async () => {
    const { collection, createEdition } = await networkHelpers.loadFixture(deployVermilion);
    const longestCid = "b".repeat(128);

    const editionId = await createEdition({
      maxSupply: 999_999,
      metadataCid: longestCid,
      mediaCid: longestCid,
      royaltyBps: 10_000,
    });

    const stored = await collection.read.edition([editionId]);
    expect([stored.maxSupply, stored.metadataCid, stored.royaltyBps]).toEqual([999_999n, longestCid, 10_000n]);
  });

  test("createEdition accepts a zero royalty without a receiver", async () => {
    const { collection, createEdition } = await networkHelpers.loadFixture(deployVermilion);

    const editionId = await createEdition({ royaltyBps: 0, royaltyReceiver: zeroAddress });

    expect(await collection.read.royaltyInfo([encodeTokenId(editionId, 1n), 1_000n])).toEqual([zeroAddress, 0n]);
  });

});

describe("closeEdition", () => {
  test("closeEdition seals an edition early and emits EditionSealed with closedEarly", async () => {
    const { collection, issuer, alice, createEdition, mint, receiptOf } =
      await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition({ maxSupply: 10 });
    await mint(editionId, alice.account.address, 3n);

    const receipt = await receiptOf(collection.write.closeEdition([editionId], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "EditionSealed")).toEqual([
      { editionId, mintedCount: 3n, closedEarly: true },
    ]);
    const stored = await collection.read.edition([editionId]);
    expect([stored.isSealed, stored.mintedCount, stored.maxSupply]).toEqual([true, 3n, 10n]);
  });

  test("closeEdition works on an edition with nothing minted", async () => {
    const { collection, issuer, createEdition, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition();

    const receipt = await receiptOf(collection.write.closeEdition([editionId], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "EditionSealed")).toEqual([
      { editionId, mintedCount: 0n, closedEarly: true },
    ]);
  });

});

describe("edition views", () => {
  test("editionCount starts at zero", async () => {
    const { collection } = await networkHelpers.loadFixture(deployVermilion);
    expect(await collection.read.editionCount()).toBe(0n);
  });

  test("editionOf decodes a minted token into edition and serial", async () => {
    const { collection, alice, createEdition, mint } = await networkHelpers.loadFixture(deployVermilion);
    await createEdition();
    const editionId = await createEdition();
    await mint(editionId, alice.account.address, 3n);

    expect(await collection.read.editionOf([2_000_003n])).toEqual([2n, 3n]);
  });

  test("editionOf still answers for a burned token", async () => {
    const { collection, alice, createEdition, mint, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition();
    await mint(editionId, alice.account.address, 1n);
    await receiptOf(collection.write.burn([1_000_001n, 0n], { account: alice.account }));

    expect(await collection.read.editionOf([1_000_001n])).toEqual([1n, 1n]);
  });

});
