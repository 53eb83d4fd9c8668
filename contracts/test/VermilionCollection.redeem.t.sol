// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {VermilionCollection} from "../VermilionCollection.sol";
import {SECP256K1_N} from "./utils/Vm.sol";
import {AcceptingReceiver, ReentrantRedeemer} from "./utils/Receivers.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev Voucher redemption: a voucher works once, on the collection and chain it was signed for, before its
 * deadline, only with the issuer's canonical 65-byte signature, and only for its own recipient; a
 * reentrant recipient cannot mint past the edition's supply.
 */
contract VermilionCollectionRedeemTest is VermilionTestBase {
    uint256 internal editionId;

    function setUp() public override {
        super.setUp();
        editionId = _createEdition(100);
    }

    function test_redeem_mintsToVoucherRecipient() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.VoucherRedeemed(1, issuer, alice, editionId, _tokenId(editionId, 1), 3);
        uint256 first = collection.redeem(voucher, signature);

        vm.assertEq(first, _tokenId(editionId, 1), "first token");
        vm.assertEq(collection.balanceOf(alice), 3, "alice balance");
        vm.assertTrue(collection.isVoucherRedeemed(1), "nonce spent");
    }

    function test_redeem_revertsWhenReplayed() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 42);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        collection.redeem(voucher, signature);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, 42));
        vm.prank(bob);
        collection.redeem(voucher, signature);
        vm.assertEq(collection.balanceOf(alice), 3, "minted once");
    }

    function test_redeem_revertsWhenNonceReusedByAnotherVoucher() public {
        IVermilionCollection.MintVoucher memory first = _voucher(editionId, alice, 1, 9);
        collection.redeem(first, _sign(ISSUER_KEY, collection, first));
        IVermilionCollection.MintVoucher memory second = _voucher(editionId, bob, 2, 9);
        bytes memory signature = _sign(ISSUER_KEY, collection, second);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, 9));
        collection.redeem(second, signature);
    }

    function test_redeem_revertsOnAnotherCollectionOfTheSameFactory() public {
        VermilionCollection other = _createCollection(bytes32("other issuer line"));
        uint256 otherEditionId = _createEdition(other, 100, IVermilionCollection.TransferPolicy.Free, 0);
        vm.assertEq(otherEditionId, editionId, "same edition id on both clones");
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        vm.assertTrue(other.voucherDigest(voucher) != collection.voucherDigest(voucher), "digests differ");

        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.VoucherSignerNotIssuer.selector,
                _recover(other.voucherDigest(voucher), signature)
            )
        );
        other.redeem(voucher, signature);

        // The same nonce is still free on each clone for a voucher signed for it.
        collection.redeem(voucher, signature);
        other.redeem(voucher, _sign(ISSUER_KEY, other, voucher));
        vm.assertEq(other.balanceOf(alice), 3, "other clone minted its own voucher");
    }

    function test_redeem_revertsOnAnotherChain() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.chainId(1);
        bytes32 digestOnOtherChain = collection.voucherDigest(voucher);

        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.VoucherSignerNotIssuer.selector,
                _recover(digestOnOtherChain, signature)
            )
        );
        collection.redeem(voucher, signature);
        vm.assertFalse(collection.isVoucherRedeemed(1), "nonce untouched");
    }

    function test_redeem_revertsAfterDeadline() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.warp(voucher.deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IVermilionCollection.VoucherExpired.selector, voucher.deadline, voucher.deadline + 1)
        );
        collection.redeem(voucher, signature);
    }

    function test_redeem_acceptedAtDeadline() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.warp(voucher.deadline);
        collection.redeem(voucher, signature);
        vm.assertEq(collection.balanceOf(alice), 3, "redeemed on the last second");
    }

    function test_redeem_revertsWithHighSSignatureOfUsedVoucher() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ISSUER_KEY, collection.voucherDigest(voucher));
        collection.redeem(voucher, abi.encodePacked(r, s, v));
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        // Same signer for ecrecover: the malleable twin is a valid signature, which ECDSA must refuse.
        address twinSigner = ecrecover(collection.voucherDigest(voucher), _flipV(v), r, highS);
        vm.assertEq(twinSigner, issuer, "twin recovers the issuer");

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        collection.redeem(voucher, abi.encodePacked(r, highS, _flipV(v)));
    }

    function test_redeem_revertsWithHighSSignatureOfFreshVoucher() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 5);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ISSUER_KEY, collection.voucherDigest(voucher));
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        collection.redeem(voucher, abi.encodePacked(r, highS, _flipV(v)));
    }

    function test_redeem_revertsWithCompactSignatureOfUsedVoucher() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ISSUER_KEY, collection.voucherDigest(voucher));
        collection.redeem(voucher, abi.encodePacked(r, s, v));
        bytes32 vs = bytes32(uint256(s) | (uint256(v - 27) << 255));

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 64));
        collection.redeem(voucher, abi.encodePacked(r, vs));
        vm.assertEq(collection.balanceOf(alice), 3, "minted once");
    }

    /// @dev ERC-2098 compact signatures are not accepted at all (OpenZeppelin 5's `recoverCalldata`).
    function test_redeem_revertsWithCompactSignatureOfFreshVoucher() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 6);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ISSUER_KEY, collection.voucherDigest(voucher));
        bytes32 vs = bytes32(uint256(s) | (uint256(v - 27) << 255));

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 64));
        collection.redeem(voucher, abi.encodePacked(r, vs));
    }

    function test_redeem_revertsWithEmptySignature() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 1, 7);

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 0));
        collection.redeem(voucher, "");
    }

    /// @dev A `v` other than 27 or 28 recovers no address at all.
    function test_redeem_revertsWhenSignatureRecoversNoSigner() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 1, 8);
        (, bytes32 r, bytes32 s) = vm.sign(ISSUER_KEY, collection.voucherDigest(voucher));

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignature.selector));
        collection.redeem(voucher, abi.encodePacked(r, s, uint8(29)));
    }

    function test_redeem_revertsWhenSupplyExceededAndKeepsNonce() public {
        _mint(editionId, alice, 99);
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, bob, 2, 11);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionSupplyExceeded.selector, editionId, 2, 1));
        collection.redeem(voucher, signature);
        vm.assertFalse(collection.isVoucherRedeemed(11), "nonce not spent");
    }

    function test_redeem_revertsWhenEditionSealed() public {
        vm.prank(issuer);
        collection.closeEdition(editionId);
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 1, 12);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
        collection.redeem(voucher, signature);
    }

    function test_redeem_revertsWhenEditionNotFound() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(4, alice, 1, 13);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 4));
        collection.redeem(voucher, signature);
    }

    function test_redeem_revertsWhenRecipientZero() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, address(0), 1, 14);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        collection.redeem(voucher, signature);
    }

    function test_redeem_revertsWhenSignerNotIssuer() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(STRANGER_KEY, collection, voucher);

        vm.expectRevert(
            abi.encodeWithSelector(IVermilionCollection.VoucherSignerNotIssuer.selector, vm.addr(STRANGER_KEY))
        );
        collection.redeem(voucher, signature);
    }

    function test_redeem_revertsWhenSignerLostIssuerRole() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        bytes32 issuerRole = collection.ISSUER_ROLE();
        vm.prank(admin);
        collection.revokeRole(issuerRole, issuer);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherSignerNotIssuer.selector, issuer));
        collection.redeem(voucher, signature);
    }

    function test_redeem_frontRunnerOnlyMintsToVoucherRecipient() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 4, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.prank(carol);
        collection.redeem(voucher, signature);

        vm.assertEq(collection.balanceOf(alice), 4, "alice got the tokens");
        vm.assertEq(collection.balanceOf(carol), 0, "front-runner got nothing");
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, 1));
        vm.prank(alice);
        collection.redeem(voucher, signature);
    }

    function test_redeem_revertsWhenRecipientRewritten() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 4, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        voucher.to = carol;

        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.VoucherSignerNotIssuer.selector,
                _recover(collection.voucherDigest(voucher), signature)
            )
        );
        vm.prank(carol);
        collection.redeem(voucher, signature);
    }

    function test_redeem_revertsWhenPaused() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 1, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        vm.prank(admin);
        collection.pause();

        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        collection.redeem(voucher, signature);
    }

    function test_redeem_zeroQuantityRevertsAndKeepsNonce() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 0, 3);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.InvalidQuantity.selector, 0));
        collection.redeem(voucher, signature);
        vm.assertFalse(collection.isVoucherRedeemed(3), "nonce not spent");
    }

    function test_redeem_callsReceiverOncePerToken() public {
        AcceptingReceiver receiver = new AcceptingReceiver();
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, address(receiver), 5, 1);

        collection.redeem(voucher, _sign(ISSUER_KEY, collection, voucher));

        vm.assertEq(receiver.received(), 5, "one callback per token");
    }

    function test_redeem_reentrantReceiverCannotReuseVoucher() public {
        ReentrantRedeemer receiver = new ReentrantRedeemer(collection);
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, address(receiver), 2, 7);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        receiver.load(voucher, signature);

        collection.redeem(voucher, signature);

        vm.assertEq(receiver.attemptCount(), 1, "one reentrant attempt");
        vm.assertFalse(receiver.attemptSucceeded(0), "reentrant replay failed");
        vm.assertEq(
            keccak256(receiver.attemptRevertData(0)),
            keccak256(abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, 7)),
            "replay refused as already redeemed"
        );
        vm.assertEq(collection.balanceOf(address(receiver)), 2, "minted once");
        vm.assertEq(collection.edition(editionId).mintedCount, 2, "mintedCount");
    }

    function test_redeem_reentrantReceiverCannotOverMint() public {
        uint256 smallEdition = _createEdition(5);
        ReentrantRedeemer receiver = new ReentrantRedeemer(collection);
        IVermilionCollection.MintVoucher memory outer = _voucher(smallEdition, address(receiver), 3, 1);
        IVermilionCollection.MintVoucher memory tooMany = _voucher(smallEdition, address(receiver), 3, 2);
        IVermilionCollection.MintVoucher memory exact = _voucher(smallEdition, address(receiver), 2, 3);
        IVermilionCollection.MintVoucher memory afterSeal = _voucher(smallEdition, address(receiver), 1, 4);
        receiver.load(tooMany, _sign(ISSUER_KEY, collection, tooMany));
        receiver.load(exact, _sign(ISSUER_KEY, collection, exact));
        receiver.load(afterSeal, _sign(ISSUER_KEY, collection, afterSeal));

        collection.redeem(outer, _sign(ISSUER_KEY, collection, outer));

        vm.assertEq(receiver.attemptCount(), 3, "three reentrant attempts");
        vm.assertEq(
            keccak256(receiver.attemptRevertData(0)),
            keccak256(abi.encodeWithSelector(IVermilionCollection.EditionSupplyExceeded.selector, smallEdition, 3, 2)),
            "over-mint refused"
        );
        // The exact fill's own callback re-enters once more, so its result is recorded after the nested one.
        vm.assertEq(
            keccak256(receiver.attemptRevertData(1)),
            keccak256(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, smallEdition)),
            "sealed edition refused"
        );
        vm.assertTrue(receiver.attemptSucceeded(2), "exact fill accepted");
        vm.assertEq(collection.edition(smallEdition).mintedCount, 5, "exactly max supply");
        vm.assertEq(collection.balanceOf(address(receiver)), 5, "balance");
        vm.assertFalse(collection.isVoucherRedeemed(2), "refused voucher not spent");
    }

    /// @dev However a reentrant recipient mixes fresh and replayed vouchers, minted never passes max supply
    /// and every minted token is owned.
    function testFuzz_redeem_reentrantReceiverCannotOverMint(
        uint8 maxSupplySeed,
        uint8[5] memory quantitySeeds,
        uint8[5] memory nonceSeeds
    ) public {
        uint256 maxSupply = bound(maxSupplySeed, 1, 12);
        uint256 smallEdition = _createEdition(uint32(maxSupply));
        ReentrantRedeemer receiver = new ReentrantRedeemer(collection);
        for (uint256 i = 0; i < quantitySeeds.length; ++i) {
            // Nonces from a small range, so some reentrant vouchers replay the outer one or each other.
            IVermilionCollection.MintVoucher memory inner = _voucher(
                smallEdition,
                address(receiver),
                bound(quantitySeeds[i], 1, 6),
                nonceSeeds[i] % 4
            );
            receiver.load(inner, _sign(ISSUER_KEY, collection, inner));
        }
        IVermilionCollection.MintVoucher memory outer = _voucher(
            smallEdition,
            address(receiver),
            bound(quantitySeeds[0] >> 4, 1, maxSupply),
            0
        );

        collection.redeem(outer, _sign(ISSUER_KEY, collection, outer));

        uint256 minted = collection.edition(smallEdition).mintedCount;
        vm.assertLe(minted, maxSupply, "mintedCount <= maxSupply");
        vm.assertEq(collection.balanceOf(address(receiver)), minted, "every minted token is the receiver's");
        for (uint256 serial = 1; serial <= minted; ++serial) {
            vm.assertEq(collection.ownerOf(_tokenId(smallEdition, serial)), address(receiver), "owner");
        }
    }

    /// @dev Changing any field of a signed voucher makes it someone else's signature.
    function testFuzz_redeem_tamperedVoucherRejected(uint8 field, uint256 newValue) public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 3, 11);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        field %= 5;
        if (field == 0) voucher.editionId = bound(newValue, 2, type(uint256).max);
        else if (field == 1) voucher.to = address(uint160(bound(newValue, 1, type(uint160).max)));
        else if (field == 2) voucher.quantity = bound(newValue, 4, type(uint256).max);
        else if (field == 3) voucher.nonce = bound(newValue, 12, type(uint256).max);
        else voucher.deadline = bound(newValue, voucher.deadline + 1, type(uint256).max);
        vm.assume(field != 1 || voucher.to != alice);

        address recovered = _recover(collection.voucherDigest(voucher), signature);
        vm.assertTrue(recovered != issuer, "tampered voucher does not recover the issuer");
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherSignerNotIssuer.selector, recovered));
        collection.redeem(voucher, signature);
    }

    /// @dev Redeeming one nonce spends that nonce only, wherever it sits in the bitmap.
    function testFuzz_redeem_spendsOnlyItsNonce(uint256 nonce, uint256 otherNonce) public {
        vm.assume(nonce != otherNonce);
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 1, nonce);

        collection.redeem(voucher, _sign(ISSUER_KEY, collection, voucher));

        vm.assertTrue(collection.isVoucherRedeemed(nonce), "spent");
        vm.assertFalse(collection.isVoucherRedeemed(otherNonce), "other nonce free");
        IVermilionCollection.MintVoucher memory other = _voucher(editionId, bob, 1, otherNonce);
        collection.redeem(other, _sign(ISSUER_KEY, collection, other));
        vm.assertEq(collection.balanceOf(bob), 1, "other nonce redeemable");
    }

    /// @dev However late, a voucher past its deadline is refused with the deadline and the current time.
    function testFuzz_redeem_revertsAfterDeadline(uint32 lateBySeed) public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 2, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        uint256 lateBy = bound(lateBySeed, 1, type(uint32).max);

        vm.warp(voucher.deadline + lateBy);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.VoucherExpired.selector,
                voucher.deadline,
                voucher.deadline + lateBy
            )
        );
        collection.redeem(voucher, signature);
    }

    /// @dev A voucher signed on this chain recovers someone other than the issuer on any other chain id.
    function testFuzz_redeem_revertsOnAnyOtherChain(uint64 chainIdSeed) public {
        uint256 otherChainId = bound(chainIdSeed, 1, type(uint64).max);
        vm.assume(otherChainId != block.chainid);
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 2, 1);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);

        vm.chainId(otherChainId);
        address recovered = _recover(collection.voucherDigest(voucher), signature);
        vm.assertTrue(recovered != issuer, "another chain's digest does not recover the issuer");
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherSignerNotIssuer.selector, recovered));
        collection.redeem(voucher, signature);
    }

    function _flipV(uint8 v) internal pure returns (uint8) {
        return v == 27 ? 28 : 27;
    }

    function _recover(bytes32 digest, bytes memory signature) internal pure returns (address) {
        (bytes32 r, bytes32 s) = abi.decode(signature, (bytes32, bytes32));
        return ecrecover(digest, uint8(signature[64]), r, s);
    }
}
