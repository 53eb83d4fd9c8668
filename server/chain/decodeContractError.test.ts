import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../test/support/startAnvil.js";
import type { VermilionDeployment } from "../../test/support/deployVermilion.js";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { deployVermilion } from "../../test/support/deployVermilion.js";
import { startAnvil } from "../../test/support/startAnvil.js";
import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { mintVoucherTypedData } from "./mintVoucherTypedData.js";
import { toChainError } from "./decodeContractError.js";

// Real reverts from a real node, decoded through viem's error chain: the mapping is only as good as
// the errors the contract actually raises.
let anvil: StartAnvilReturnType;
let vermilion: VermilionDeployment;
let collection: Address;
let editionId: bigint;

beforeAll(async () => {
  anvil = await startAnvil();
  vermilion = await deployVermilion(anvil.rpcUrl);
  collection = await vermilion.createCollection("Decoded reverts");
  editionId = await vermilion.createEdition(collection, { maxSupply: 2 });
});

afterAll(async () => {
  await anvil?.stop();
});

async function revertOf(from: Address, functionName: string, args: readonly unknown[]): Promise<unknown> {
  try {
    await vermilion.publicClient.simulateContract({
      address: collection,
      abi: vermilionCollectionAbi,
      functionName: functionName as "mint",
      args: args as never,
      account: from,
    });
  } catch (error) {
    return error;
  }
  throw new Error(`${functionName} did not revert`);
}

describe("toChainError", () => {
  const [admin, issuer, stranger] = [0, 1, 7];

  test("a custom error without a platform meaning → CONTRACT_REVERTED naming the error", async () => {
    const error = await revertOf(vermilion.accounts[stranger]!, "pause", []);
    expect(toChainError(error, { collection })).toMatchObject({
      code: "CONTRACT_REVERTED",
      status: 422,
      retryable: false,
      details: { reason: "AccessControlUnauthorizedAccount" },
    });
  });

  test("an issuing call from a key without the issuing role → ISSUER_KEY_REVOKED naming the key and the collection", async () => {
    const key = vermilion.accounts[stranger]!;
    const error = await revertOf(key, "closeEdition", [editionId]);
    expect(toChainError(error, { collection, editionId })).toMatchObject({
      code: "ISSUER_KEY_REVOKED",
      status: 409,
      retryable: true,
      details: { operatingKey: key.toLowerCase(), collection },
    });
  });

  test("minting into a paused collection → COLLECTION_PAUSED (final for this attempt, deferred by the sender)", async () => {
    await vermilion.execute(collection, vermilion.accounts[admin]!, "pause", []);
    try {
      const error = await revertOf(vermilion.accounts[issuer]!, "mint", [editionId, vermilion.accounts[issuer]!, 1n]);
      expect(toChainError(error, { collection, editionId })).toMatchObject({ code: "COLLECTION_PAUSED", details: { collection } });
    } finally {
      await vermilion.execute(collection, vermilion.accounts[admin]!, "unpause", []);
    }
  });

  test("more than the edition holds → EDITION_SOLD_OUT with what remains", async () => {
    const error = await revertOf(vermilion.accounts[issuer]!, "mint", [editionId, vermilion.accounts[issuer]!, 3n]);
    expect(toChainError(error, { collection, editionId })).toMatchObject({
      code: "EDITION_SOLD_OUT",
      details: { editionId: editionId.toString(), requested: "3", remaining: "2" },
    });
  });

  test("redeeming a voucher whose nonce the issuer cancelled → VOUCHER_CANCELLED naming the nonce, final", async () => {
    const issuerAccount = vermilion.accounts[issuer]!;
    const voucher = { editionId, to: vermilion.accounts[stranger]!, quantity: 1n, nonce: 2n ** 255n, deadline: 2n ** 40n };
    const chainId = await vermilion.publicClient.getChainId();
    const signature = await vermilion.walletClient.signTypedData({
      account: issuerAccount,
      ...mintVoucherTypedData(chainId, collection, voucher),
    });
    await vermilion.execute(collection, issuerAccount, "cancelVouchers", [[voucher.nonce]]);

    const error = await revertOf(vermilion.accounts[stranger]!, "redeem", [voucher, signature]);
    expect(toChainError(error, { collection, editionId })).toMatchObject({
      code: "VOUCHER_CANCELLED",
      status: 409,
      retryable: false,
      details: { nonce: (2n ** 255n).toString(), collection },
    });
  });

  test("a failure that is not a revert (node unreachable) → CHAIN_UNAVAILABLE, retryable", () => {
    expect(toChainError(new Error("fetch failed"), { collection })).toMatchObject({ code: "CHAIN_UNAVAILABLE", retryable: true });
  });
});
