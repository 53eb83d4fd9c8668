import { network } from "hardhat";
import { describe, expect, test } from "vitest";

import { deployVermilion } from "./deployVermilion.js";
import { captureRevert, expectRevertWith } from "./expectRevert.js";

const { networkHelpers } = await network.connect();

describe("expectRevertWith", () => {
  test("expectRevertWith passes on the right error name and arguments", async () => {
    const { alice, mint } = await networkHelpers.loadFixture(deployVermilion);
    await expectRevertWith(mint(1n, alice.account.address, 1n), "EditionNotFound", [1n]);
  });

  test("expectRevertWith fails on the right error with different arguments", async () => {
    const { alice, mint } = await networkHelpers.loadFixture(deployVermilion);
    await expect(expectRevertWith(mint(1n, alice.account.address, 1n), "EditionNotFound", [2n])).rejects.toThrow();
  });

  test("expectRevertWith fails on another error name", async () => {
    const { alice, mint } = await networkHelpers.loadFixture(deployVermilion);
    await expect(
      expectRevertWith(mint(1n, alice.account.address, 1n), "EditionAlreadySealed", [1n]),
    ).rejects.toThrow();
  });

  test("captureRevert fails when the call succeeds", async () => {
    const { alice, createEdition, mint } = await networkHelpers.loadFixture(deployVermilion);
    const editionId = await createEdition();
    await expect(captureRevert(mint(editionId, alice.account.address, 1n))).rejects.toThrow(
      "expected a contract revert, but the call succeeded",
    );
  });

  test("captureRevert rethrows a failure that is not a revert", async () => {
    await expect(captureRevert(Promise.reject(new TypeError("not a chain error")))).rejects.toThrow(TypeError);
  });
});
