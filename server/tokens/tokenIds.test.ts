import { readFile } from "node:fs/promises";

import { network } from "hardhat";
import { parseEventLogs } from "viem";
import { describe, expect, test } from "vitest";

import { deployVermilion } from "../../test/contracts/helpers/deployVermilion.js";
import { MAX_SERIAL, SERIALS_PER_EDITION, decodeTokenId, encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

const { networkHelpers } = await network.connect();

describe("the token-id layout mirrors contracts/libraries/TokenIds.sol", () => {
  test("SERIALS_PER_EDITION and MAX_SERIAL equal the Solidity library's constants", async () => {
    const source = await readFile(new URL("../../contracts/libraries/TokenIds.sol", import.meta.url), "utf8");
    const declared = /uint256 internal constant SERIALS_PER_EDITION = ([0-9_]+);/.exec(source)?.[1];
    expect(declared, "TokenIds.sol declares SERIALS_PER_EDITION").toBeDefined();
    expect(BigInt(declared!.replaceAll("_", ""))).toBe(SERIALS_PER_EDITION);
    expect(source).toContain("uint256 internal constant MAX_SERIAL = SERIALS_PER_EDITION - 1;");
    expect(MAX_SERIAL).toBe(SERIALS_PER_EDITION - 1n);
  });

  test("encodeTokenId gives the ids the contract mints, and decodeTokenId reads them as editionOf does", async () => {
    const { collection, createEdition, mint, alice } = await networkHelpers.loadFixture(deployVermilion);
    for (const maxSupply of [3, 700, 5]) {
      const editionId = await createEdition({ maxSupply });
      const receipt = await mint(editionId, alice.account.address, BigInt(maxSupply));
      const minted = parseEventLogs({ abi: collection.abi, eventName: "Transfer", logs: receipt.logs }).map((log) => log.args.tokenId);
      expect(minted).toEqual(Array.from({ length: maxSupply }, (_, index) => encodeTokenId(editionId, index + 1)));
      for (const tokenId of [minted[0]!, minted.at(-1)!]) {
        const [onChainEditionId, onChainSerial] = await collection.read.editionOf([tokenId]);
        expect(decodeTokenId(tokenId), `token ${tokenId}`).toEqual({ editionId: onChainEditionId, serial: Number(onChainSerial) });
      }
    }
  });
});
