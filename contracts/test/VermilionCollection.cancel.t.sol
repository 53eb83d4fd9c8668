// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {ReentrantRedeemer} from "./utils/Receivers.sol";
import {SECP256K1_N, Vm} from "./utils/Vm.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev Voucher cancellation: only an issuing key cancels, also while paused; a nonce already cancelled is
 * skipped without a second event, a redeemed one reverts the whole batch; and a cancelled nonce can never
 * be redeemed, whoever signed or submits the voucher, paused or not, wherever the nonce sits in its word,
 * however the batch that cancelled it repeated it, and whatever roles changed afterwards.
 */
contract VermilionCollectionCancelTest is VermilionTestBase {
    uint256 internal constant SECOND_ISSUER_KEY = 0x5EC0;

    uint256 internal editionId;
    address internal secondIssuer;
    bytes32 internal issuerRole;

    function setUp() public override {
        super.setUp();
        editionId = _createEdition(100);
        secondIssuer = vm.addr(SECOND_ISSUER_KEY);
        issuerRole = collection.ISSUER_ROLE();
        vm.label(secondIssuer, "secondIssuer");
    }

    // ------------------------------------------------------------------ cancelVouchers

    function test_cancelVouchers_marksEachNonceCancelledAndEmitsPerNonce() public {
        uint256[] memory nonces = _nonces(3, 127, 128);

        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.VoucherCancelled(3, issuer);
        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.VoucherCancelled(127, issuer);
        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.VoucherCancelled(128, issuer);
        vm.prank(issuer);
        collection.cancelVouchers(nonces);

        for (uint256 i = 0; i < nonces.length; ++i) {
            vm.assertTrue(collection.isVoucherCancelled(nonces[i]), "cancelled");
            vm.assertFalse(collection.isVoucherRedeemed(nonces[i]), "a cancelled nonce is not redeemed");
        }
        vm.assertFalse(collection.isVoucherCancelled(2), "neighbour below untouched");
        vm.assertFalse(collection.isVoucherCancelled(4), "neighbour above untouched");
        vm.assertFalse(collection.isVoucherCancelled(129), "next word's neighbour untouched");
    }

    function test_cancelVouchers_namesTheCancellingKey() public {
        vm.prank(admin);
        collection.grantRole(issuerRole, secondIssuer);

        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.VoucherCancelled(9, secondIssuer);
        vm.prank(secondIssuer);
        collection.cancelVouchers(_nonces(9));
    }

    function test_cancelVouchers_revertsWhenCallerLacksIssuerRole() public {
        _expectUnauthorized(alice, issuerRole);
        vm.prank(alice);
        collection.cancelVouchers(_nonces(1));
    }

    /// @dev The admin pauses and grants roles but does not issue: it cannot cancel either.
    function test_cancelVouchers_revertsForAdminWithoutIssuerRole() public {
        _expectUnauthorized(admin, issuerRole);
        vm.prank(admin);
        collection.cancelVouchers(_nonces(1));
    }

    function test_cancelVouchers_revertsForRevokedIssuer() public {
        vm.prank(admin);
        collection.revokeRole(issuerRole, issuer);

        _expectUnauthorized(issuer, issuerRole);
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(1));
    }

    function test_cancelVouchers_allowedWhilePaused() public {
        vm.prank(admin);
        collection.pause();

        vm.prank(issuer);
        collection.cancelVouchers(_nonces(5));

        vm.assertTrue(collection.isVoucherCancelled(5), "cancelled while paused");
    }

    function test_cancelVouchers_skipsAnAlreadyCancelledNonceWithoutASecondEvent() public {
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(7));

        vm.recordLogs();
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(7, 8, 7));

        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 1, "one event: for nonce 8 only");
        vm.assertEq(logs[0].topics[0], IVermilionCollection.VoucherCancelled.selector, "VoucherCancelled");
        vm.assertEq(uint256(logs[0].topics[1]), 8, "nonce 8");
        vm.assertTrue(collection.isVoucherCancelled(7), "still cancelled");
        vm.assertTrue(collection.isVoucherCancelled(8), "newly cancelled");
    }

    function test_cancelVouchers_acceptsAnEmptyList() public {
        vm.recordLogs();
        vm.prank(issuer);
        collection.cancelVouchers(new uint256[](0));
        vm.assertEq(vm.getRecordedLogs().length, 0, "no event");
    }

    function test_cancelVouchers_revertsWhenANonceWasRedeemedAndCancelsNothing() public {
        _redeem(_voucher(editionId, alice, 1, 11), ISSUER_KEY);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, 11));
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(10, 11, 12));

        vm.assertFalse(collection.isVoucherCancelled(10), "the nonce before it was not cancelled");
        vm.assertFalse(collection.isVoucherCancelled(12), "the nonce after it was not cancelled");
        vm.assertTrue(collection.isVoucherRedeemed(11), "still redeemed");
        vm.assertFalse(collection.isVoucherCancelled(11), "a redeemed nonce is not cancelled");
    }

    // ------------------------------------------------------------------ redeem after cancelVouchers

    function test_redeem_revertsWhenNonceCancelled() public {
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, 2, 21);
        bytes memory signature = _sign(ISSUER_KEY, collection, voucher);
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(21));

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherNonceCancelled.selector, 21));
        vm.prank(alice);
        collection.redeem(voucher, signature);

        vm.assertEq(collection.balanceOf(alice), 0, "nothing minted");
        vm.assertEq(collection.edition(editionId).mintedCount, 0, "supply untouched");
    }

    /// @dev Cancelling one nonce leaves its neighbours in the same 128-nonce word redeemable.
    function test_redeem_neighbourOfCancelledNonceStillRedeems() public {
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(127, 129, 127));

        _redeem(_voucher(editionId, alice, 1, 128), ISSUER_KEY);
        _redeem(_voucher(editionId, alice, 1, 126), ISSUER_KEY);

        vm.assertEq(collection.balanceOf(alice), 2, "both neighbours redeemed");
        vm.assertTrue(collection.isVoucherCancelled(127), "127 still cancelled");
        vm.assertTrue(collection.isVoucherCancelled(129), "129 still cancelled");
    }

    /// @dev A recipient re-entering `redeem` from its callback with a cancelled voucher is refused too.
    function test_redeem_reentrantReceiverCannotRedeemCancelledNonce() public {
        ReentrantRedeemer receiver = new ReentrantRedeemer(collection);
        IVermilionCollection.MintVoucher memory cancelled = _voucher(editionId, address(receiver), 1, 31);
        receiver.load(cancelled, _sign(ISSUER_KEY, collection, cancelled));
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(31));

        _redeem(_voucher(editionId, address(receiver), 1, 30), ISSUER_KEY);

        vm.assertEq(receiver.attemptCount(), 1, "one reentrant attempt");
        vm.assertEq(
            keccak256(receiver.attemptRevertData(0)),
            keccak256(abi.encodeWithSelector(IVermilionCollection.VoucherNonceCancelled.selector, 31)),
            "refused as cancelled"
        );
        vm.assertEq(collection.balanceOf(address(receiver)), 1, "only the outer voucher minted");
    }

    // ------------------------------------------------------------------ fuzz

    /**
     * @dev However the nonce was cancelled and whatever happens next, no voucher carrying it mints:
     * - nonce: any value, biased to the word edges (0, 127, 128, 255, 256, 2^256-1);
     * - cancelled by the primary or a second issuing key, while paused or not, in a batch that repeats it
     *   and carries other fresh nonces;
     * - then any mix of role changes (the canceller revoked, the signer granted, a revoked key granted back)
     *   and a pause;
     * - then a voucher signed by the primary issuer, a second issuer or a stranger, submitted by anyone.
     * The call reverts with the first check that fails, in `redeem`'s order (pause, deadline, signer,
     * nonce), and after unpausing the nonce still refuses; nothing is ever minted.
     */
    function testFuzz_redeem_cancelledNonceNeverRedeems(
        uint256 nonceSeed,
        uint256[3] memory otherNonces,
        uint8 batchShape,
        uint8 signerPick,
        uint8 submitterPick,
        uint8 roleChanges,
        uint8 quantitySeed
    ) public {
        uint256 nonce = _edgeBiasedNonce(nonceSeed);
        vm.prank(admin);
        collection.grantRole(issuerRole, secondIssuer);

        // Cancel: by either issuing key, sometimes while paused, the nonce repeated in the batch.
        address canceller = batchShape & 1 == 0 ? issuer : secondIssuer;
        bool cancelWhilePaused = batchShape & 2 != 0;
        if (cancelWhilePaused) _pause();
        uint256[] memory batch = new uint256[](6);
        batch[0] = otherNonces[0];
        batch[1] = nonce;
        batch[2] = otherNonces[1];
        batch[3] = nonce;
        batch[4] = otherNonces[2];
        batch[5] = batchShape & 4 != 0 ? nonce : otherNonces[0];
        vm.prank(canceller);
        collection.cancelVouchers(batch);
        if (cancelWhilePaused) _unpause();
        vm.assertTrue(collection.isVoucherCancelled(nonce), "cancelled");

        // Role changes after the cancellation.
        if (roleChanges & 1 != 0) _revoke(canceller);
        if (roleChanges & 2 != 0) _grant(vm.addr(STRANGER_KEY));
        if (roleChanges & 4 != 0 && roleChanges & 1 != 0) _grant(canceller);
        if (roleChanges & 8 != 0) _revoke(issuer);
        bool pausedAtRedeem = roleChanges & 16 != 0;
        if (pausedAtRedeem) _pause();

        uint256 signerKey = signerPick % 3 == 0 ? ISSUER_KEY : signerPick % 3 == 1 ? SECOND_ISSUER_KEY : STRANGER_KEY;
        address signer = vm.addr(signerKey);
        address submitter = [alice, bob, issuer, secondIssuer, vm.addr(STRANGER_KEY)][submitterPick % 5];
        IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, alice, bound(quantitySeed, 1, 100), nonce);
        bytes memory signature = _sign(signerKey, collection, voucher);
        bytes memory nonceOrSignerError = collection.hasRole(issuerRole, signer)
            ? abi.encodeWithSelector(IVermilionCollection.VoucherNonceCancelled.selector, nonce)
            : abi.encodeWithSelector(IVermilionCollection.VoucherSignerNotIssuer.selector, signer);

        if (pausedAtRedeem) {
            vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
            vm.prank(submitter);
            collection.redeem(voucher, signature);
            _unpause();
        }
        vm.expectRevert(nonceOrSignerError);
        vm.prank(submitter);
        collection.redeem(voucher, signature);

        vm.assertEq(collection.balanceOf(alice), 0, "nothing minted to the recipient");
        vm.assertEq(collection.edition(editionId).mintedCount, 0, "no serial allocated");
        vm.assertTrue(collection.isVoucherCancelled(nonce), "still cancelled");
        vm.assertFalse(collection.isVoucherRedeemed(nonce), "never redeemed");
    }

    /// @dev A cancelled nonce refuses a voucher from every issuing key there is, including one granted later.
    function testFuzz_redeem_cancelledNonceRefusedForEveryIssuingKey(uint256 nonceSeed, uint256 laterKeySeed) public {
        uint256 nonce = _edgeBiasedNonce(nonceSeed);
        uint256 laterKey = bound(laterKeySeed, 1, SECP256K1_N - 1);
        vm.prank(issuer);
        collection.cancelVouchers(_nonces(nonce));
        _grant(vm.addr(laterKey));

        uint256[2] memory keys = [ISSUER_KEY, laterKey];
        for (uint256 i = 0; i < keys.length; ++i) {
            IVermilionCollection.MintVoucher memory voucher = _voucher(editionId, bob, 1, nonce);
            bytes memory signature = _sign(keys[i], collection, voucher);
            vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherNonceCancelled.selector, nonce));
            collection.redeem(voucher, signature);
        }
        vm.assertEq(collection.balanceOf(bob), 0, "nothing minted");
    }

    /// @dev Cancelling a set of nonces touches those only: any other nonce, in the same word or not, redeems.
    function testFuzz_cancelVouchers_leavesOtherNoncesRedeemable(uint256[4] memory cancelled, uint256 otherSeed) public {
        uint256 other = _edgeBiasedNonce(otherSeed);
        for (uint256 i = 0; i < cancelled.length; ++i) vm.assume(cancelled[i] != other);
        uint256[] memory batch = new uint256[](cancelled.length + 1);
        for (uint256 i = 0; i < cancelled.length; ++i) batch[i] = cancelled[i];
        // The other nonce's word neighbour, so the word it shares is written before `other` is redeemed.
        batch[cancelled.length] = other ^ 1;
        vm.prank(issuer);
        collection.cancelVouchers(batch);

        vm.assertFalse(collection.isVoucherCancelled(other), "other not cancelled");
        _redeem(_voucher(editionId, carol, 1, other), ISSUER_KEY);
        vm.assertTrue(collection.isVoucherRedeemed(other), "other redeemed");
        vm.assertFalse(collection.isVoucherCancelled(other), "and not cancelled");
        vm.assertTrue(collection.isVoucherCancelled(other ^ 1), "its neighbour still cancelled");
        vm.assertFalse(collection.isVoucherRedeemed(other ^ 1), "and not redeemed");
    }

    /// @dev A redeemed nonce anywhere in a batch reverts it whole: no nonce of the batch is cancelled.
    function testFuzz_cancelVouchers_redeemedNonceAnywhereRevertsTheBatch(uint256 redeemedSeed, uint8 position) public {
        uint256 redeemed = _edgeBiasedNonce(redeemedSeed);
        _redeem(_voucher(editionId, alice, 1, redeemed), ISSUER_KEY);
        uint256[] memory batch = new uint256[](4);
        for (uint256 i = 0; i < batch.length; ++i) batch[i] = redeemed ^ (i + 1);
        batch[position % batch.length] = redeemed;

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, redeemed));
        vm.prank(issuer);
        collection.cancelVouchers(batch);

        for (uint256 i = 0; i < batch.length; ++i) vm.assertFalse(collection.isVoucherCancelled(batch[i]), "nothing cancelled");
        vm.assertTrue(collection.isVoucherRedeemed(redeemed), "still redeemed");
    }

    /// @dev No account without the issuing role can cancel, whatever nonce it names.
    function testFuzz_cancelVouchers_revertsForAnyCallerWithoutRole(address caller, uint256 nonce) public {
        vm.assume(caller != issuer);
        _expectUnauthorized(caller, issuerRole);
        vm.prank(caller);
        collection.cancelVouchers(_nonces(nonce));
        vm.assertFalse(collection.isVoucherCancelled(nonce), "not cancelled");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev A nonce from `seed`, one time in two a word edge: 0, 127, 128, 255, 256 or 2^256-1.
    function _edgeBiasedNonce(uint256 seed) internal pure returns (uint256) {
        uint256[6] memory edges = [uint256(0), 127, 128, 255, 256, type(uint256).max];
        if (seed % 2 == 0) return edges[(seed >> 1) % edges.length];
        return seed;
    }

    function _nonces(uint256 a) internal pure returns (uint256[] memory nonces) {
        nonces = new uint256[](1);
        nonces[0] = a;
    }

    function _nonces(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory nonces) {
        nonces = new uint256[](3);
        (nonces[0], nonces[1], nonces[2]) = (a, b, c);
    }

    function _redeem(IVermilionCollection.MintVoucher memory voucher, uint256 signerKey) internal {
        collection.redeem(voucher, _sign(signerKey, collection, voucher));
    }

    function _pause() internal {
        vm.prank(admin);
        collection.pause();
    }

    function _unpause() internal {
        vm.prank(admin);
        collection.unpause();
    }

    function _grant(address account) internal {
        vm.prank(admin);
        collection.grantRole(issuerRole, account);
    }

    function _revoke(address account) internal {
        vm.prank(admin);
        collection.revokeRole(issuerRole, account);
    }
}
