// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IERC5192} from "../interfaces/IERC5192.sol";
import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev Hold and Soulbound policies: a locked token cannot move by any path (owner, approved address,
 * operator; `transferFrom` and both `safeTransferFrom`), it can once the hold has elapsed or the issuer
 * loosened the policy, and a policy can never be tightened.
 */
contract VermilionCollectionTransferPolicyTest is VermilionTestBase {
    uint32 internal constant HOLD = 1 days;
    IVermilionCollection.TransferPolicy internal constant FREE = IVermilionCollection.TransferPolicy.Free;
    IVermilionCollection.TransferPolicy internal constant HOLD_POLICY = IVermilionCollection.TransferPolicy.Hold;
    IVermilionCollection.TransferPolicy internal constant SOULBOUND = IVermilionCollection.TransferPolicy.Soulbound;
    address internal constant APPROVED = address(0xA99);
    address internal constant OPERATOR = address(0x0BE);

    /// @dev The five ways a token can be asked to move; `path` picks one.
    function _move(uint256 path, address owner, address to, uint256 tokenId) internal {
        if (path == 0) {
            vm.prank(owner);
            collection.transferFrom(owner, to, tokenId);
        } else if (path == 1) {
            vm.prank(owner);
            collection.safeTransferFrom(owner, to, tokenId);
        } else if (path == 2) {
            vm.prank(owner);
            collection.safeTransferFrom(owner, to, tokenId, "gift");
        } else if (path == 3) {
            vm.prank(APPROVED);
            collection.transferFrom(owner, to, tokenId);
        } else {
            vm.prank(OPERATOR);
            collection.safeTransferFrom(owner, to, tokenId, "");
        }
    }

    function _mintAndDelegate(uint256 editionId, address to, uint256 quantity, uint256 approvedSerial)
        internal
        returns (uint256 firstTokenId)
    {
        firstTokenId = _mint(editionId, to, quantity);
        vm.startPrank(to);
        collection.approve(APPROVED, _tokenId(editionId, approvedSerial));
        collection.setApprovalForAll(OPERATOR, true);
        vm.stopPrank();
    }

    function _createPolicyEdition(IVermilionCollection.TransferPolicy policy, uint32 holdSeconds)
        internal
        returns (uint256)
    {
        return _createEdition(collection, 1_000, policy, holdSeconds);
    }

    // ------------------------------------------------------------------ hold

    function test_hold_lockedByEveryPathUntilHoldElapses() public {
        uint256 editionId = _createPolicyEdition(HOLD_POLICY, HOLD);
        uint256 mintedAt = _now();
        _mintAndDelegate(editionId, alice, 300, 250);
        uint256 tokenId = _tokenId(editionId, 250);
        vm.assertTrue(collection.locked(tokenId), "locked after mint");
        vm.assertEq(collection.unlocksAt(tokenId), mintedAt + HOLD, "unlocksAt");

        vm.warp(mintedAt + HOLD - 1);
        for (uint256 path = 0; path < 5; ++path) {
            _expectLocked(tokenId, mintedAt + HOLD);
            _move(path, alice, bob, tokenId);
        }

        vm.warp(mintedAt + HOLD);
        vm.assertFalse(collection.locked(tokenId), "unlocked once the hold elapsed");
        _move(3, alice, bob, tokenId);
        vm.assertEq(collection.ownerOf(tokenId), bob, "moved by the approved address");
    }

    function test_hold_transferLocksTokenAgainForNewHolder() public {
        uint256 editionId = _createPolicyEdition(HOLD_POLICY, HOLD);
        _mint(editionId, alice, 2);
        uint256 tokenId = _tokenId(editionId, 2);
        vm.warp(_now() + HOLD);
        uint256 transferredAt = _now();

        vm.expectEmit(true, true, true, true, address(collection));
        emit IERC5192.Locked(tokenId);
        vm.prank(alice);
        collection.transferFrom(alice, bob, tokenId);

        vm.assertEq(collection.unlocksAt(tokenId), transferredAt + HOLD, "locked again for bob");
        _expectLocked(tokenId, transferredAt + HOLD);
        vm.prank(bob);
        collection.transferFrom(bob, carol, tokenId);
    }

    function test_hold_burnAllowedWhileLocked() public {
        uint256 editionId = _createPolicyEdition(HOLD_POLICY, HOLD);
        _mint(editionId, alice, 1);
        uint256 tokenId = _tokenId(editionId, 1);

        vm.prank(alice);
        collection.burn(tokenId, 1);

        vm.assertEq(collection.balanceOf(alice), 0, "burned");
    }

    function test_hold_shortenedHoldUnlocksEarlier() public {
        uint256 editionId = _createPolicyEdition(HOLD_POLICY, HOLD);
        uint256 mintedAt = _now();
        _mint(editionId, alice, 3);
        uint256 tokenId = _tokenId(editionId, 3);
        vm.warp(mintedAt + 30 minutes);

        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, HOLD_POLICY, 1 hours);

        vm.assertEq(collection.unlocksAt(tokenId), mintedAt + 1 hours, "shorter hold counts from the mint");
        vm.warp(mintedAt + 1 hours);
        vm.assertFalse(collection.locked(tokenId), "unlocked at the shorter hold's end");
        vm.prank(alice);
        collection.transferFrom(alice, bob, tokenId);
    }

    // ------------------------------------------------------------------ soulbound

    function test_soulbound_lockedByEveryPathForever() public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);
        _mintAndDelegate(editionId, alice, 400, 193);
        vm.warp(_now() + 100 * 365 days);

        uint256[3] memory serials = [uint256(1), 193, 400];
        for (uint256 i = 0; i < serials.length; ++i) {
            uint256 tokenId = _tokenId(editionId, serials[i]);
            vm.assertTrue(collection.locked(tokenId), "soulbound tokens are locked");
            for (uint256 path = 0; path < 5; ++path) {
                if (path == 3 && serials[i] != 193) continue; // only serial 193 has an approved address
                vm.expectRevert(
                    abi.encodeWithSelector(IVermilionCollection.TokenLocked.selector, tokenId, type(uint256).max)
                );
                _move(path, alice, bob, tokenId);
            }
        }
        vm.assertEq(collection.balanceOf(alice), 400, "nothing moved");
    }

    function test_soulbound_holderMayBurn() public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);
        _mintAndDelegate(editionId, alice, 2, 1);

        vm.prank(OPERATOR);
        collection.burn(_tokenId(editionId, 1), 3);

        vm.assertEq(collection.edition(editionId).burnedCount, 1, "burnedCount");
    }

    function test_soulbound_movesAfterIssuerFreesIt() public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);
        _mintAndDelegate(editionId, alice, 300, 7);

        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.TransferPolicyUpdated(editionId, FREE, 0);
        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, FREE, 0);

        for (uint256 path = 0; path < 5; ++path) {
            uint256 tokenId = _tokenId(editionId, path == 3 ? 7 : 100 + path);
            _move(path, alice, bob, tokenId);
            vm.assertEq(collection.ownerOf(tokenId), bob, "moved after loosening");
        }
    }

    function test_soulbound_loosenedToHoldCountsFromAcquisition() public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);
        uint256 mintedAt = _now();
        _mint(editionId, alice, 300);
        vm.warp(mintedAt + 10 hours);

        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, HOLD_POLICY, 1 days);

        uint256 tokenId = _tokenId(editionId, 260);
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.TokenLocked.selector, tokenId, mintedAt + 1 days));
        vm.prank(alice);
        collection.transferFrom(alice, bob, tokenId);
        vm.warp(mintedAt + 1 days);
        vm.prank(alice);
        collection.transferFrom(alice, bob, tokenId);
    }

    // ------------------------------------------------------------------ policy changes

    function test_loosenTransferPolicy_revertsWhenTightening() public {
        uint256 freeEdition = _createPolicyEdition(FREE, 0);
        uint256 holdEdition = _createPolicyEdition(HOLD_POLICY, HOLD);
        uint256 soulboundEdition = _createPolicyEdition(SOULBOUND, 0);

        _expectNotLooser(freeEdition, FREE, 0, HOLD_POLICY, 1);
        _expectNotLooser(freeEdition, FREE, 0, SOULBOUND, 0);
        _expectNotLooser(freeEdition, FREE, 0, FREE, 0);
        _expectNotLooser(holdEdition, HOLD_POLICY, HOLD, SOULBOUND, 0);
        _expectNotLooser(holdEdition, HOLD_POLICY, HOLD, HOLD_POLICY, HOLD);
        _expectNotLooser(holdEdition, HOLD_POLICY, HOLD, HOLD_POLICY, HOLD + 1);
        _expectNotLooser(soulboundEdition, SOULBOUND, 0, SOULBOUND, 0);
    }

    function test_loosenTransferPolicy_revertsWhenHoldSecondsInconsistent() public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);

        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.InvalidTransferPolicy.selector,
                HOLD_POLICY,
                0
            )
        );
        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, HOLD_POLICY, 0);

        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.InvalidTransferPolicy.selector,
                FREE,
                5
            )
        );
        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, FREE, 5);

        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.InvalidTransferPolicy.selector,
                SOULBOUND,
                5
            )
        );
        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, SOULBOUND, 5);
    }

    function test_loosenTransferPolicy_revertsWhenEditionNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 9));
        vm.prank(issuer);
        collection.loosenTransferPolicy(9, FREE, 0);
    }

    function test_loosenTransferPolicy_revertsWhenCallerNotIssuer() public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);

        _expectUnauthorized(admin, collection.ISSUER_ROLE());
        vm.prank(admin);
        collection.loosenTransferPolicy(editionId, FREE, 0);
    }

    /**
     * @dev For any starting policy, elapsed time and requested policy: the change is accepted exactly when
     * it loosens, and then no token gets a later unlock time than before (an unlocked token stays
     * unlocked). A refused change names the current and requested policies.
     */
    function testFuzz_loosenTransferPolicy_neverTightens(
        uint8 fromPolicySeed,
        uint32 fromHoldSeed,
        uint8 toPolicySeed,
        uint32 toHoldSeed,
        uint32 elapsedSeed
    ) public {
        IVermilionCollection.TransferPolicy fromPolicy = IVermilionCollection.TransferPolicy(fromPolicySeed % 3);
        uint32 fromHold = fromPolicy == HOLD_POLICY ? uint32(bound(fromHoldSeed, 1, 30 days)) : 0;
        IVermilionCollection.TransferPolicy toPolicy = IVermilionCollection.TransferPolicy(toPolicySeed % 3);
        uint32 toHold = toPolicy == HOLD_POLICY ? uint32(bound(toHoldSeed, 1, 30 days)) : 0;

        uint256 editionId = _createPolicyEdition(fromPolicy, fromHold);
        uint256 tokenId = _mint(editionId, alice, 300) + 299;
        vm.warp(_now() + bound(elapsedSeed, 0, 60 days));
        uint256 unlocksBefore = collection.unlocksAt(tokenId);

        bool looser = uint8(toPolicy) < uint8(fromPolicy) ||
            (toPolicy == HOLD_POLICY &&
                fromPolicy == HOLD_POLICY &&
                toHold < fromHold);
        if (!looser) {
            _expectNotLooser(editionId, fromPolicy, fromHold, toPolicy, toHold);
            return;
        }
        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, toPolicy, toHold);

        uint256 unlocksAfter = collection.unlocksAt(tokenId);
        vm.assertLe(unlocksAfter, unlocksBefore, "a loosening never delays an unlock");
        if (unlocksBefore <= _now()) vm.assertFalse(collection.locked(tokenId), "unlocked stays unlocked");
        IVermilionCollection.EditionView memory view_ = collection.edition(editionId);
        vm.assertEq(uint256(view_.transferPolicy), uint256(toPolicy), "policy");
        vm.assertEq(view_.holdSeconds, toHold, "holdSeconds");
    }

    /// @dev Under Hold, any token of a large batch moves by any path exactly when its hold has elapsed.
    function testFuzz_hold_movesOnlyAfterHold(uint32 holdSeed, uint32 elapsedSeed, uint16 serialSeed, uint8 pathSeed)
        public
    {
        uint32 hold = uint32(bound(holdSeed, 1, 365 days));
        uint256 editionId = _createPolicyEdition(HOLD_POLICY, hold);
        uint256 serial = bound(serialSeed, 1, 500);
        uint256 mintedAt = _now();
        _mintAndDelegate(editionId, alice, 500, serial);
        uint256 tokenId = _tokenId(editionId, serial);
        uint256 elapsed = bound(elapsedSeed, 0, 2 * uint256(hold));
        vm.warp(mintedAt + elapsed);

        if (elapsed < hold) {
            vm.assertTrue(collection.locked(tokenId), "locked during the hold");
            _expectLocked(tokenId, mintedAt + hold);
        }
        _move(pathSeed % 5, alice, bob, tokenId);
        vm.assertEq(collection.ownerOf(tokenId), elapsed < hold ? alice : bob, "owner");
    }

    /// @dev A soulbound token never moves, however long anyone waits, until the issuer loosens the policy.
    function testFuzz_soulbound_neverMoves(uint32 elapsedSeed, uint16 serialSeed, uint8 pathSeed) public {
        uint256 editionId = _createPolicyEdition(SOULBOUND, 0);
        uint256 serial = bound(serialSeed, 1, 500);
        _mintAndDelegate(editionId, alice, 500, serial);
        uint256 tokenId = _tokenId(editionId, serial);
        vm.warp(_now() + elapsedSeed);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.TokenLocked.selector, tokenId, type(uint256).max));
        _move(pathSeed % 5, alice, bob, tokenId);
        vm.assertEq(collection.ownerOf(tokenId), alice, "still alice's");
    }

    function _expectLocked(uint256 tokenId, uint256 unlocksAt) internal {
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.TokenLocked.selector, tokenId, unlocksAt));
    }

    function _expectNotLooser(
        uint256 editionId,
        IVermilionCollection.TransferPolicy current,
        uint256 currentHold,
        IVermilionCollection.TransferPolicy requested,
        uint32 requestedHold
    ) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                IVermilionCollection.TransferPolicyNotLooser.selector,
                editionId,
                current,
                currentHold,
                requested,
                requestedHold
            )
        );
        vm.prank(issuer);
        collection.loosenTransferPolicy(editionId, requested, requestedHold);
    }

    /// @dev Regression: `unlocksAt` is 0 once a token can move, as the interface documents.
    function test_unlocksAt_isZeroOnceHoldElapsed() public {
        uint256 editionId = _createEdition(collection, 10, IVermilionCollection.TransferPolicy.Hold, 1 days);
        uint256 tokenId = _mint(editionId, alice, 1);
        vm.warp(_now() + 2 days);
        vm.assertFalse(collection.locked(tokenId), "transferable now");

        vm.assertEq(collection.unlocksAt(tokenId), 0, "unlocksAt is 0 when the token can move now");
    }
}
