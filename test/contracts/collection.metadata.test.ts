import { network } from "hardhat";
import type { Hex } from "viem";
import { zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import {
  defaultCollectionParams,
  deployVermilion,
  metadataCid,
} from "./helpers/deployVermilion.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { eventArgs, eventNames } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";

const { networkHelpers } = await network.connect();

const newMetadataCid = "bafybeie5gq4jxvzmsym6hjlwxej4rwdoxt7wadqvmmwbqi7r27fclha2va";

/** Edition 1 (500 serials, 5% to carol) with 300 minted to alice; edition 2 (2.5% to bob) with 1 minted. */
async function withMintedEditions(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const first = await fixture.createEdition({ maxSupply: 500 });
  const second = await fixture.createEdition({ royaltyReceiver: fixture.bob.account.address, royaltyBps: 250 });
  await fixture.mint(first, fixture.alice.account.address, 300n);
  await fixture.mint(second, fixture.alice.account.address, 1n);
  return { ...fixture, first, second };
}

describe("tokenURI", () => {
  test("tokenURI is ipfs://<metadataCid>/<serial>.json", async () => {
    const { collection, first, second } = await networkHelpers.loadFixture(withMintedEditions);

    expect(await collection.read.tokenURI([encodeTokenId(first, 1)])).toBe(`ipfs://${metadataCid}/1.json`);
    expect(await collection.read.tokenURI([encodeTokenId(first, 257)])).toBe(`ipfs://${metadataCid}/257.json`);
    expect(await collection.read.tokenURI([encodeTokenId(second, 1)])).toBe(`ipfs://${metadataCid}/1.json`);
  });

  test("tokenURI rejects unminted and burned tokens with ERC721NonexistentToken", async () => {
    const { collection, alice, first, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);
    await receiptOf(collection.write.burn([encodeTokenId(first, 2), 0n], { account: alice.account }));

    for (const tokenId of [encodeTokenId(first, 2), encodeTokenId(first, 301), encodeTokenId(first, 0)]) {
      await expectRevertWith(collection.read.tokenURI([tokenId]), "ERC721NonexistentToken", [tokenId]);
    }
  });
});

describe("setEditionMetadata", () => {
  test("setEditionMetadata repoints tokenURI and emits EditionMetadataUpdated and BatchMetadataUpdate over the edition", async () => {
    const { collection, issuer, first, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);

    const receipt = await receiptOf(
      collection.write.setEditionMetadata([first, newMetadataCid], { account: issuer.account }),
    );

    expect(eventNames(receipt, collection.abi)).toEqual(["EditionMetadataUpdated", "BatchMetadataUpdate"]);
    expect(eventArgs(receipt, collection.abi, "EditionMetadataUpdated")).toEqual([
      { editionId: first, metadataCid: newMetadataCid },
    ]);
    expect(eventArgs(receipt, collection.abi, "BatchMetadataUpdate")).toEqual([
      { _fromTokenId: encodeTokenId(first, 1), _toTokenId: encodeTokenId(first, 500) },
    ]);
    expect(await collection.read.tokenURI([encodeTokenId(first, 42)])).toBe(`ipfs://${newMetadataCid}/42.json`);
    expect((await collection.read.edition([first])).metadataCid).toBe(newMetadataCid);
  });

  test("setEditionMetadata leaves other editions alone", async () => {
    const { collection, issuer, first, second, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);

    await receiptOf(collection.write.setEditionMetadata([first, newMetadataCid], { account: issuer.account }));

    expect(await collection.read.tokenURI([encodeTokenId(second, 1)])).toBe(`ipfs://${metadataCid}/1.json`);
  });

});

describe("freezeEditionMetadata", () => {
  test("freezeEditionMetadata emits EditionMetadataFrozen and then refuses updates with MetadataIsFrozen", async () => {
    const { collection, issuer, first, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);

    const receipt = await receiptOf(collection.write.freezeEditionMetadata([first], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "EditionMetadataFrozen")).toEqual([{ editionId: first, metadataCid }]);
    expect((await collection.read.edition([first])).metadataFrozen).toBe(true);
    await expectRevertWith(
      collection.write.setEditionMetadata([first, newMetadataCid], { account: issuer.account }),
      "MetadataIsFrozen",
      [first],
    );
    expect(await collection.read.tokenURI([encodeTokenId(first, 1)])).toBe(`ipfs://${metadataCid}/1.json`);
  });

  test("freezeEditionMetadata freezes the latest CID", async () => {
    const { collection, issuer, first, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);
    await receiptOf(collection.write.setEditionMetadata([first, newMetadataCid], { account: issuer.account }));

    const receipt = await receiptOf(collection.write.freezeEditionMetadata([first], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "EditionMetadataFrozen")).toEqual([
      { editionId: first, metadataCid: newMetadataCid },
    ]);
  });

  test("a frozen edition can still be minted", async () => {
    const { collection, issuer, alice, first, mint, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);
    await receiptOf(collection.write.freezeEditionMetadata([first], { account: issuer.account }));

    await mint(first, alice.account.address, 1n);

    expect(await collection.read.tokenURI([encodeTokenId(first, 301)])).toBe(`ipfs://${metadataCid}/301.json`);
  });

});

describe("contractURI", () => {
  test("contractURI starts as the URI given at creation", async () => {
    const { collection } = await networkHelpers.loadFixture(withMintedEditions);
    expect(await collection.read.contractURI()).toBe(defaultCollectionParams.contractURI);
  });

  test("setContractURI replaces it and emits ContractURIUpdated", async () => {
    const { collection, admin, receiptOf } = await networkHelpers.loadFixture(withMintedEditions);
    const contractURI = "ipfs://bafybeibnsoufr2renqzsh347nrx54wcubt5lgkeivez63xvivplfwhtpym/collection.json";

    const receipt = await receiptOf(collection.write.setContractURI([contractURI], { account: admin.account }));

    expect(eventNames(receipt, collection.abi)).toEqual(["ContractURIUpdated"]);
    expect(await collection.read.contractURI()).toBe(contractURI);
  });

});

describe("royaltyInfo", () => {
  test("royaltyInfo uses each token's edition receiver and rate, rounding down", async () => {
    const { collection, bob, carol, first, second } = await networkHelpers.loadFixture(withMintedEditions);

    expect(await collection.read.royaltyInfo([encodeTokenId(first, 7), 10_000n])).toEqual([carol.account.address, 500n]);
    expect(await collection.read.royaltyInfo([encodeTokenId(first, 7), 199n])).toEqual([carol.account.address, 9n]);
    expect(await collection.read.royaltyInfo([encodeTokenId(second, 1), 10_000n])).toEqual([bob.account.address, 250n]);
  });

  test("royaltyInfo of a token of an unknown edition is no royalty", async () => {
    const { collection } = await networkHelpers.loadFixture(withMintedEditions);
    expect(await collection.read.royaltyInfo([encodeTokenId(9n, 1), 10_000n])).toEqual([zeroAddress, 0n]);
  });
});

describe("supportsInterface", () => {
  test.each([
    { standard: "ERC-165", interfaceId: "0x01ffc9a7" },
    { standard: "ERC-721", interfaceId: "0x80ac58cd" },
    { standard: "ERC-721 Metadata", interfaceId: "0x5b5e139f" },
    { standard: "ERC-2981", interfaceId: "0x2a55205a" },
    { standard: "ERC-4906", interfaceId: "0x49064906" },
    { standard: "ERC-5192", interfaceId: "0xb45a3c0e" },
    { standard: "IAccessControl", interfaceId: "0x7965db0b" },
  ] as const)("supportsInterface reports $standard ($interfaceId)", async ({ interfaceId }) => {
    const { collection } = await networkHelpers.loadFixture(withMintedEditions);
    expect(await collection.read.supportsInterface([interfaceId])).toBe(true);
  });

  test.each([
    { what: "the ERC-165 invalid id", interfaceId: "0xffffffff" as Hex },
    { what: "ERC-721 Enumerable", interfaceId: "0x780e9d63" as Hex },
    { what: "ERC-1155", interfaceId: "0xd9b67a26" as Hex },
  ])("supportsInterface denies $what", async ({ interfaceId }) => {
    const { collection } = await networkHelpers.loadFixture(withMintedEditions);
    expect(await collection.read.supportsInterface([interfaceId])).toBe(false);
  });
});
