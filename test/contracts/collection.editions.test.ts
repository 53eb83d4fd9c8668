import { network } from "hardhat";
import { zeroAddress, zeroHash } from "viem";
import { describe, expect, test } from "vitest";

import {
  contentSha256,
  deployVermilion,
  editionParams,
  ISSUER_ROLE,
  mediaCid,
  metadataCid,
  TransferPolicy,
} from "./helpers/deployVermilion.js";
import { eventArgs } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";
import { encodeTokenId } from "../../server/tokens/tokenIds.js";

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

  test("createEdition rejects a zero max supply with InvalidMaxSupply", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ maxSupply: 0 }), "InvalidMaxSupply", [0n]);
  });

  test("createEdition rejects a max supply above 999,999 with InvalidMaxSupply", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ maxSupply: 1_000_000 }), "InvalidMaxSupply", [1_000_000n]);
  });

  test("createEdition rejects an empty metadata CID with InvalidCid", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ metadataCid: "" }), "InvalidCid", [""]);
  });

  test("createEdition rejects a metadata CID over 128 bytes with InvalidCid", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    const tooLong = "b".repeat(129);
    await expectRevertWith(createEdition({ metadataCid: tooLong }), "InvalidCid", [tooLong]);
  });

  test("createEdition measures CIDs in bytes, not characters, and rejects 65 two-byte characters with InvalidCid", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    const multiByte = "é".repeat(65);
    await expectRevertWith(createEdition({ metadataCid: multiByte }), "InvalidCid", [multiByte]);
  });

  test("createEdition rejects an empty media CID with InvalidCid", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ mediaCid: "" }), "InvalidCid", [""]);
  });

  test("createEdition rejects a media CID over 128 bytes with InvalidCid", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    const tooLong = "m".repeat(129);
    await expectRevertWith(createEdition({ mediaCid: tooLong }), "InvalidCid", [tooLong]);
  });

  test("createEdition rejects a zero content hash with InvalidContentSha256", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ contentSha256: zeroHash }), "InvalidContentSha256");
  });

  test("createEdition rejects a royalty above 10,000 bps with InvalidRoyalty", async () => {
    const { createEdition, carol } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ royaltyBps: 10_001 }), "InvalidRoyalty", [carol.account.address, 10_001n]);
  });

  test("createEdition rejects a non-zero royalty without a receiver with InvalidRoyalty", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(createEdition({ royaltyReceiver: zeroAddress, royaltyBps: 1 }), "InvalidRoyalty", [
      zeroAddress,
      1n,
    ]);
  });

  test("createEdition rejects a Hold policy without hold seconds with InvalidTransferPolicy", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(
      createEdition({ transferPolicy: TransferPolicy.Hold, holdSeconds: 0 }),
      "InvalidTransferPolicy",
      [TransferPolicy.Hold, 0n],
    );
  });

  test("createEdition rejects hold seconds on a Free policy with InvalidTransferPolicy", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(
      createEdition({ transferPolicy: TransferPolicy.Free, holdSeconds: 60 }),
      "InvalidTransferPolicy",
      [TransferPolicy.Free, 60n],
    );
  });

  test("createEdition rejects hold seconds on a Soulbound policy with InvalidTransferPolicy", async () => {
    const { createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(
      createEdition({ transferPolicy: TransferPolicy.Soulbound, holdSeconds: 60 }),
      "InvalidTransferPolicy",
      [TransferPolicy.Soulbound, 60n],
    );
  });

  test("createEdition rejects an account without the issuer role, even the admin, with AccessControlUnauthorizedAccount", async () => {
    const { collection, admin, carol } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(
      collection.write.createEdition([editionParams(carol.account.address)], { account: admin.account }),
      "AccessControlUnauthorizedAccount",
      [admin.account.address, ISSUER_ROLE],
    );
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

  test("closeEdition rejects a closed edition with EditionAlreadySealed", async () => {
    const { collection, issuer, createEdition, receiptOf } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition();
    await receiptOf(collection.write.closeEdition([editionId], { account: issuer.account }));

    await expectRevertWith(
      collection.write.closeEdition([editionId], { account: issuer.account }),
      "EditionAlreadySealed",
      [editionId],
    );
  });

  test("closeEdition rejects a sold-out edition with EditionAlreadySealed", async () => {
    const { collection, issuer, alice, createEdition, mint } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition({ maxSupply: 2 });
    await mint(editionId, alice.account.address, 2n);

    await expectRevertWith(
      collection.write.closeEdition([editionId], { account: issuer.account }),
      "EditionAlreadySealed",
      [editionId],
    );
  });

  test("closeEdition rejects an unknown edition with EditionNotFound", async () => {
    const { collection, issuer } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(collection.write.closeEdition([7n], { account: issuer.account }), "EditionNotFound", [7n]);
  });

  test("closeEdition rejects a non-issuer with AccessControlUnauthorizedAccount", async () => {
    const { collection, alice, createEdition } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition();
    await expectRevertWith(
      collection.write.closeEdition([editionId], { account: alice.account }),
      "AccessControlUnauthorizedAccount",
      [alice.account.address, ISSUER_ROLE],
    );
  });
});

describe("edition views", () => {
  test("edition rejects an unknown edition with EditionNotFound", async () => {
    const { collection, createEdition } = await networkHelpers.loadFixture(deployVermilion);
    await createEdition();
    await expectRevertWith(collection.read.edition([2n]), "EditionNotFound", [2n]);
    await expectRevertWith(collection.read.edition([0n]), "EditionNotFound", [0n]);
  });

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

  test("editionOf rejects serial 0, an unminted serial and an unknown edition with ERC721NonexistentToken", async () => {
    const { collection, alice, createEdition, mint } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition();
    await mint(editionId, alice.account.address, 2n);

    for (const tokenId of [1_000_000n, 1_000_003n, 5_000_001n]) {
      await expectRevertWith(collection.read.editionOf([tokenId]), "ERC721NonexistentToken", [tokenId]);
    }
  });
});
