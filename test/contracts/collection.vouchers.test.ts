import { network } from "hardhat";
import type { Address, Hex } from "viem";
import { getAddress, hashTypedData, keccak256, recoverTypedDataAddress, stringToHex, zeroAddress } from "viem";
import { describe, expect, test } from "vitest";

import { deployVermilion, ReceiverBehaviour, TransferPolicy } from "./helpers/deployVermilion.js";
import { eventArgs } from "./helpers/events.js";
import { expectRevertWith } from "./helpers/expectRevert.js";
import type { MintVoucher } from "../../server/chain/mintVoucherTypedData.js";
import { mintVoucherDomain, mintVoucherTypedData } from "../../server/chain/mintVoucherTypedData.js";
import { signVoucher } from "./helpers/vouchers.js";

const { networkHelpers } = await network.connect();

const oneDay = 86_400n;

/** The deployed system with edition 1 (five serials) and a way to issue vouchers for it. */
async function withVoucherEdition(connection: Parameters<typeof deployVermilion>[0]) {
  const fixture = await deployVermilion(connection);
  const editionId = await fixture.createEdition({ maxSupply: 5 });
  const chainId = await fixture.publicClient.getChainId();
  const now = BigInt(await connection.networkHelpers.time.latest());

  /** A voucher for `editionId` to alice, one token, nonce 1, valid for a day, with `overrides`. */
  function voucher(overrides: Partial<MintVoucher> = {}): MintVoucher {
    return { editionId, to: fixture.alice.account.address, quantity: 1n, nonce: 1n, deadline: now + oneDay, ...overrides };
  }

  /** `voucher` signed by the issuer (or `signer`) for this collection (or `verifyingContract`). */
  async function sign(
    unsigned: MintVoucher,
    signer = fixture.issuer,
    verifyingContract: Address = fixture.collection.address,
  ): Promise<Hex> {
    return signVoucher(signer, chainId, verifyingContract, unsigned);
  }

  /** Submits `signed` from bob, a third party, and waits for the receipt. */
  async function redeemAsBob(unsigned: MintVoucher, signature: Hex) {
    return fixture.receiptOf(fixture.collection.write.redeem([unsigned, signature], { account: fixture.bob.account }));
  }

  return { ...fixture, editionId, chainId, voucher, sign, redeemAsBob };
}

describe("voucher signing", () => {
  test("voucherDigest equals viem's hashTypedData over the collection's EIP-712 domain", async () => {
    const { collection, chainId, voucher } = await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher({ quantity: 3n, nonce: 77n });

    const digest = await collection.read.voucherDigest([unsigned]);

    expect(digest).toBe(hashTypedData(mintVoucherTypedData(chainId, collection.address, unsigned)));
  });

  test("eip712Domain names the clone, not the implementation, as the verifying contract", async () => {
    const { collection, chainId } = await networkHelpers.loadFixture(withVoucherEdition);

    const [fields, name, version, domainChainId, verifyingContract] = await collection.read.eip712Domain();

    // The domain the server signs with is the one the contract reports (fields 0x0f: name, version, chain, contract).
    const expected = mintVoucherDomain(chainId, collection.address);
    expect([fields, name, version, domainChainId, verifyingContract]).toEqual([
      "0x0f",
      expected.name,
      expected.version,
      BigInt(expected.chainId),
      expected.verifyingContract,
    ]);
  });

  test("MINT_VOUCHER_TYPEHASH is the hash of the documented type string", async () => {
    const { collection } = await networkHelpers.loadFixture(withVoucherEdition);
    expect(await collection.read.MINT_VOUCHER_TYPEHASH()).toBe(
      keccak256(stringToHex("MintVoucher(uint256 editionId,address to,uint256 quantity,uint256 nonce,uint256 deadline)")),
    );
  });
});

describe("redeem", () => {
  test("redeem by a third party mints to voucher.to, spends the nonce and emits VoucherRedeemed", async () => {
    const { collection, issuer, alice, bob, editionId, voucher, sign, redeemAsBob } =
      await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher({ quantity: 2n, nonce: 42n });
    expect(await collection.read.isVoucherRedeemed([42n])).toBe(false);

    const receipt = await redeemAsBob(unsigned, await sign(unsigned));

    expect(eventArgs(receipt, collection.abi, "Transfer")).toEqual([
      { from: zeroAddress, to: alice.account.address, tokenId: 1_000_001n },
      { from: zeroAddress, to: alice.account.address, tokenId: 1_000_002n },
    ]);
    expect(eventArgs(receipt, collection.abi, "VoucherRedeemed")).toEqual([
      {
        nonce: 42n,
        signer: issuer.account.address,
        to: alice.account.address,
        editionId,
        firstTokenId: 1_000_001n,
        quantity: 2n,
      },
    ]);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(2n);
    expect(await collection.read.balanceOf([bob.account.address])).toBe(0n);
    expect(await collection.read.isVoucherRedeemed([42n])).toBe(true);
  });

  test("redeem returns the first token id", async () => {
    const { collection, alice, editionId, mint, voucher, sign, bob } =
      await networkHelpers.loadFixture(withVoucherEdition);
    await mint(editionId, alice.account.address, 2n);
    const unsigned = voucher();

    const { result } = await collection.simulate.redeem([unsigned, await sign(unsigned)], {
      account: bob.account.address,
    });

    expect(result).toBe(1_000_003n);
  });

  test("redeem spends only its own nonce bit", async () => {
    const { collection, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher({ nonce: 257n });

    await redeemAsBob(unsigned, await sign(unsigned));

    expect(await collection.read.isVoucherRedeemed([257n])).toBe(true);
    for (const nonce of [0n, 1n, 256n, 258n, 513n]) {
      expect(await collection.read.isVoucherRedeemed([nonce])).toBe(false);
    }
  });

  test("redeem accepts a voucher in the block whose timestamp equals its deadline", async () => {
    const { collection, alice, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher();
    const signature = await sign(unsigned);
    await networkHelpers.time.setNextBlockTimestamp(unsigned.deadline);

    await redeemAsBob(unsigned, signature);

    expect(await collection.read.balanceOf([alice.account.address])).toBe(1n);
  });

  test("redeem rejects a voucher signed for another chain with VoucherSignerNotIssuer", async () => {
    const { collection, issuer, voucher, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher();
    const typedData = mintVoucherTypedData(1, collection.address, unsigned);
    const signature = await issuer.signTypedData({ account: issuer.account, ...typedData });
    const recoveredHere = await recoverTypedDataAddress({
      ...mintVoucherTypedData(31337, collection.address, unsigned),
      signature,
    });

    await expectRevertWith(redeemAsBob(unsigned, signature), "VoucherSignerNotIssuer", [recoveredHere]);
  });

  test("redeem of the last serials seals the edition and emits EditionSealed", async () => {
    const { collection, editionId, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher({ quantity: 5n });

    const receipt = await redeemAsBob(unsigned, await sign(unsigned));

    expect(eventArgs(receipt, collection.abi, "EditionSealed")).toEqual([
      { editionId, mintedCount: 5n, closedEarly: false },
    ]);
  });

  test("redeem of a soulbound edition emits Locked for each token", async () => {
    const { collection, createEdition, voucher, sign, redeemAsBob } =
      await networkHelpers.loadFixture(withVoucherEdition);
    const editionId = await createEdition({ transferPolicy: TransferPolicy.Soulbound });
    const unsigned = voucher({ editionId, quantity: 2n });

    const receipt = await redeemAsBob(unsigned, await sign(unsigned));

    expect(eventArgs(receipt, collection.abi, "Locked")).toEqual([{ tokenId: 2_000_001n }, { tokenId: 2_000_002n }]);
  });
});

describe("redeem to a contract", () => {
  test("redeem calls onERC721Received for each token with the submitter as operator", async () => {
    const { viem, collection, bob, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.Accept]);
    const unsigned = voucher({ to: receiver.address, quantity: 2n });

    const receipt = await redeemAsBob(unsigned, await sign(unsigned));

    expect(eventArgs(receipt, receiver.abi, "Received", receiver.address)).toEqual([
      { operator: bob.account.address, from: zeroAddress, tokenId: 1_000_001n, data: "0x" },
      { operator: bob.account.address, from: zeroAddress, tokenId: 1_000_002n, data: "0x" },
    ]);
    expect(await collection.read.balanceOf([receiver.address])).toBe(2n);
  });

  test("redeem to a receiver that answers the wrong value is rejected with ERC721InvalidReceiver", async () => {
    const { viem, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.ReturnWrongValue]);
    const unsigned = voucher({ to: receiver.address });

    await expectRevertWith(redeemAsBob(unsigned, await sign(unsigned)), "ERC721InvalidReceiver", [getAddress(receiver.address)]);
  });

  test("redeem to a receiver that reverts without data is rejected with ERC721InvalidReceiver", async () => {
    const { viem, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithoutData]);
    const unsigned = voucher({ to: receiver.address });

    await expectRevertWith(redeemAsBob(unsigned, await sign(unsigned)), "ERC721InvalidReceiver", [getAddress(receiver.address)]);
  });

  test("redeem to a receiver that reverts with a custom error bubbles that error up", async () => {
    const { viem, collection, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const receiver = await viem.deployContract("ERC721ReceiverMock", [ReceiverBehaviour.RevertWithCustomError]);
    const unsigned = voucher({ to: receiver.address });

    await expectRevertWith(
      redeemAsBob(unsigned, await sign(unsigned)),
      "ReceiverRejected",
      [1_000_001n],
      receiver.abi,
    );
    expect(await collection.read.isVoucherRedeemed([unsigned.nonce])).toBe(false);
  });

  test("redeem's receiver already sees the nonce spent, the supply counted and itself as owner", async () => {
    const { viem, collection, editionId, voucher, sign, redeemAsBob } =
      await networkHelpers.loadFixture(withVoucherEdition);
    const probe = await viem.deployContract("VoucherStateProbe", [5n]);
    const unsigned = voucher({ to: probe.address, nonce: 5n, quantity: 2n });

    const receipt = await redeemAsBob(unsigned, await sign(unsigned));

    expect(eventArgs(receipt, probe.abi, "StateObserved", probe.address)).toEqual([
      { tokenId: 1_000_001n, nonceRedeemed: true, mintedCount: 2n, tokenOwner: getAddress(probe.address) },
      { tokenId: 1_000_002n, nonceRedeemed: true, mintedCount: 2n, tokenOwner: getAddress(probe.address) },
    ]);
    expect((await collection.read.edition([editionId])).mintedCount).toBe(2n);
  });
});

describe("cancelVouchers", () => {
  test("a cancelled nonce's voucher is refused with VoucherNonceCancelled, decoded by viem, and mints nothing", async () => {
    const { collection, issuer, alice, editionId, voucher, sign, receiptOf, redeemAsBob } =
      await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher({ nonce: 128n, quantity: 2n });
    const signature = await sign(unsigned);

    const receipt = await receiptOf(collection.write.cancelVouchers([[128n, 127n, 128n]], { account: issuer.account }));

    expect(eventArgs(receipt, collection.abi, "VoucherCancelled")).toEqual([
      { nonce: 128n, canceller: issuer.account.address },
      { nonce: 127n, canceller: issuer.account.address },
    ]);
    expect(await collection.read.isVoucherCancelled([128n])).toBe(true);
    expect(await collection.read.isVoucherRedeemed([128n])).toBe(false);
    await expectRevertWith(redeemAsBob(unsigned, signature), "VoucherNonceCancelled", [128n]);
    expect(await collection.read.balanceOf([alice.account.address])).toBe(0n);
    expect((await collection.read.edition([editionId])).mintedCount).toBe(0n);
  });

  test("cancelling a redeemed nonce reverts with VoucherAlreadyRedeemed", async () => {
    const { collection, issuer, voucher, sign, redeemAsBob } = await networkHelpers.loadFixture(withVoucherEdition);
    const unsigned = voucher({ nonce: 3n });
    await redeemAsBob(unsigned, await sign(unsigned));

    await expectRevertWith(
      collection.write.cancelVouchers([[2n, 3n]], { account: issuer.account }),
      "VoucherAlreadyRedeemed",
      [3n],
    );
    expect(await collection.read.isVoucherCancelled([2n])).toBe(false);
  });

  test("cancelVouchers from an account without the issuing role reverts with AccessControlUnauthorizedAccount", async () => {
    const { collection, bob } = await networkHelpers.loadFixture(withVoucherEdition);

    await expectRevertWith(
      collection.write.cancelVouchers([[1n]], { account: bob.account }),
      "AccessControlUnauthorizedAccount",
      [getAddress(bob.account.address), await collection.read.ISSUER_ROLE()],
    );
  });
});
