// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {CollectionHandler} from "./handlers/CollectionHandler.t.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev Stateful fuzzing: the runner calls random sequences of `CollectionHandler` actions (mint up to 600
 * at a time, airdrop, redeem, transfer by every path, approve, burn, change policy, warp) and these
 * invariants are checked after every call. Three editions: Free (1,100, so batches span 256-id words),
 * Hold one day (600) and Soulbound (300).
 */
contract VermilionCollectionInvariantTest is VermilionTestBase {
    /// @dev forge-std's `StdInvariant.FuzzSelector`, which the runner reads from `targetSelectors()`.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    CollectionHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint256[3] memory editionIds;
        editionIds[0] = _createEdition(collection, 1_100, IVermilionCollection.TransferPolicy.Free, 0);
        editionIds[1] = _createEdition(collection, 600, IVermilionCollection.TransferPolicy.Hold, 1 days);
        editionIds[2] = _createEdition(collection, 300, IVermilionCollection.TransferPolicy.Soulbound, 0);
        handler = new CollectionHandler(collection, ISSUER_KEY, editionIds);
        vm.label(address(handler), "handler");
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = CollectionHandler.mint.selector;
        selectors[1] = CollectionHandler.airdrop.selector;
        selectors[2] = CollectionHandler.redeem.selector;
        selectors[3] = CollectionHandler.transfer.selector;
        selectors[4] = CollectionHandler.approve.selector;
        selectors[5] = CollectionHandler.setApprovalForAll.selector;
        selectors[6] = CollectionHandler.burn.selector;
        selectors[7] = CollectionHandler.changePolicy.selector;
        selectors[8] = CollectionHandler.warp.selector;
        selectors[9] = CollectionHandler.transferFreeToken.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// @dev Every call did what the ghost model predicted: over-mints, replays, locked transfers,
    /// unauthorized moves and policy tightenings were refused with their exact errors; everything else
    /// succeeded with the predicted first token id, cleared approval and new owner.
    function invariant_everyCallBehavedAsPredicted() public view {
        vm.assertEq(handler.violations(), 0, handler.firstViolation());
    }

    /// @dev No edition ever holds more than its max supply; it is sealed exactly when full.
    function invariant_supplyNeverExceedsMaxSupply() public view {
        for (uint256 i = 0; i < handler.editionCount(); ++i) {
            IVermilionCollection.EditionView memory view_ = collection.edition(handler.editionIdAt(i));
            vm.assertLe(view_.mintedCount, view_.maxSupply, "mintedCount <= maxSupply");
            vm.assertEq(view_.mintedCount, handler.ghostMinted(i), "mintedCount == ghost minted");
            vm.assertEq(view_.burnedCount, handler.ghostBurned(i), "burnedCount == ghost burned");
            vm.assertEq(view_.isSealed, view_.mintedCount == view_.maxSupply, "sealed exactly when full");
        }
    }

    /// @dev Σ balances over every possible holder = minted − burned, and each balance is the ghost's.
    function invariant_balancesSumToMintedMinusBurned() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i = 0; i < actors.length; ++i) {
            uint256 balance = collection.balanceOf(actors[i]);
            vm.assertEq(balance, handler.ghostBalance(actors[i]), "balance == ghost balance");
            sum += balance;
        }
        uint256 live;
        for (uint256 i = 0; i < handler.editionCount(); ++i) {
            IVermilionCollection.EditionView memory view_ = collection.edition(handler.editionIdAt(i));
            live += view_.mintedCount - view_.burnedCount;
        }
        vm.assertEq(sum, live, "sum of balances == minted - burned");
    }

    /**
     * @dev After every call, the tokens it touched (both ends of a minted batch and both sides of each
     * 256-id word boundary inside it; a moved, approved or burned token and its neighbours) match the
     * ghost: see `_assertTokenMatchesGhost`. The whole collection is swept in `afterInvariant`.
     */
    function invariant_touchedTokensMatchGhost() public view {
        uint256[] memory touched = handler.touchedTokens();
        for (uint256 i = 0; i < touched.length; ++i) _assertTokenMatchesGhost(touched[i]);
    }

    /**
     * @dev At the end of every run, every token id of every edition, from serial 0 to one past the last
     * minted serial, matches the ghost. (A sweep after every call would cost the suite a minute; the
     * touched-token invariant covers each call's effects.)
     */
    function afterInvariant() public view {
        for (uint256 i = 0; i < handler.editionCount(); ++i) {
            uint256 editionId = handler.editionIdAt(i);
            uint256 minted = collection.edition(editionId).mintedCount;
            for (uint256 serial = 0; serial <= minted + 1; ++serial) {
                _assertTokenMatchesGhost(_tokenId(editionId, serial));
            }
        }
    }

    /**
     * @dev Serials are contiguous: serial 0 and serials past mintedCount do not exist, every serial from 1
     * to mintedCount does, and `editionOf` inverts `editionId * 1e6 + serial`. A burned token has no owner;
     * a live token's owner, approved address and lock (with its unlock time) are the ghost's.
     */
    function _assertTokenMatchesGhost(uint256 tokenId) internal view {
        uint256 editionId = tokenId / SERIALS_PER_EDITION;
        uint256 serial = tokenId % SERIALS_PER_EDITION;
        uint256 minted = collection.edition(editionId).mintedCount;
        if (serial == 0 || serial > minted) {
            _assertNonexistent(tokenId);
            return;
        }
        (uint256 decodedEdition, uint256 decodedSerial) = collection.editionOf(tokenId);
        vm.assertEq(decodedEdition, editionId, "editionOf: edition");
        vm.assertEq(decodedSerial, serial, "editionOf: serial");
        (address owner, bool burned, address approved, uint256 unlocksAt) = handler.ghostToken(tokenId);
        if (burned) {
            _assertNonexistent(tokenId);
            return;
        }
        vm.assertEq(collection.ownerOf(tokenId), owner, "ownerOf == ghost owner");
        vm.assertEq(collection.getApproved(tokenId), approved, "getApproved == ghost approved");
        // Only a lock in force is compared exactly: see KnownBugs.t.sol for `unlocksAt` after a hold.
        bool lockedNow = unlocksAt > vm.getBlockTimestamp();
        vm.assertEq(collection.locked(tokenId), lockedNow, "locked == ghost lock");
        if (lockedNow) vm.assertEq(collection.unlocksAt(tokenId), unlocksAt, "unlocksAt == ghost unlock time");
    }

    /// @dev `ownerOf` refuses `tokenId` as nonexistent (burned, or past the last minted serial).
    function _assertNonexistent(uint256 tokenId) internal view {
        try collection.ownerOf(tokenId) returns (address owner) {
            vm.assertEq(owner, address(0), "a burned or unminted token has an owner");
        } catch (bytes memory reason) {
            vm.assertEq(
                keccak256(reason),
                keccak256(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId)),
                "ownerOf of a burned or unminted token reverts as nonexistent"
            );
        }
    }
}
