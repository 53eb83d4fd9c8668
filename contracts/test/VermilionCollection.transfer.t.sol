// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {NonReceiver} from "./utils/Receivers.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev Transfers, approvals and burns over lazily owned batches. Edition 1's serial `s` is token id
 * `1_000_000 + s`, and 1,000,000 = 3906 * 256 + 64, so serials 192, 448 and 704 start 256-id words: a
 * batch of 300-600 from serial 1 is stored as two or three batch records.
 */
contract VermilionCollectionTransferTest is VermilionTestBase {
    uint256 internal constant FIRST_WORD_BOUNDARY_SERIAL = 192;

    uint256 internal editionId;

    function setUp() public override {
        super.setUp();
        editionId = _createEdition(5_000);
    }

    function test_transferFrom_middleOfBatchKeepsNeighbours() public {
        _mint(editionId, alice, 600);
        uint256 middle = _tokenId(editionId, 300);

        vm.prank(alice);
        collection.transferFrom(alice, bob, middle);

        vm.assertEq(collection.ownerOf(middle), bob, "moved token");
        vm.assertEq(collection.ownerOf(middle - 1), alice, "token before");
        vm.assertEq(collection.ownerOf(middle + 1), alice, "token after");
        vm.assertEq(collection.balanceOf(alice), 599, "alice balance");
        vm.assertEq(collection.balanceOf(bob), 1, "bob balance");
        _assertRangeOwnedBy(editionId, 1, 299, alice);
        _assertRangeOwnedBy(editionId, 301, 600, alice);
    }

    function test_transferFrom_batchHeadsKeepTheirBatches() public {
        _mint(editionId, alice, 600);
        uint256[3] memory heads = [
            _tokenId(editionId, 1),
            _tokenId(editionId, FIRST_WORD_BOUNDARY_SERIAL),
            _tokenId(editionId, FIRST_WORD_BOUNDARY_SERIAL + 256)
        ];

        vm.startPrank(alice);
        for (uint256 i = 0; i < heads.length; ++i) collection.transferFrom(alice, bob, heads[i]);
        vm.stopPrank();

        for (uint256 serial = 1; serial <= 600; ++serial) {
            uint256 tokenId = _tokenId(editionId, serial);
            bool isHead = tokenId == heads[0] || tokenId == heads[1] || tokenId == heads[2];
            vm.assertEq(collection.ownerOf(tokenId), isHead ? bob : alice, "owner after moving the heads");
        }
        vm.assertEq(collection.balanceOf(bob), 3, "bob balance");
    }

    function test_transferFrom_lastTokenOfAWordAndFirstOfTheNext() public {
        _mint(editionId, alice, 500);
        uint256 lastOfWord = _tokenId(editionId, FIRST_WORD_BOUNDARY_SERIAL - 1);

        vm.startPrank(alice);
        collection.transferFrom(alice, bob, lastOfWord);
        collection.transferFrom(alice, carol, lastOfWord + 1);
        vm.stopPrank();

        vm.assertEq(collection.ownerOf(lastOfWord - 1), alice, "before");
        vm.assertEq(collection.ownerOf(lastOfWord), bob, "last of word");
        vm.assertEq(collection.ownerOf(lastOfWord + 1), carol, "first of next word");
        vm.assertEq(collection.ownerOf(lastOfWord + 2), alice, "after");
    }

    function test_transferFrom_backAndForthKeepsOwnerAndBalances() public {
        _mint(editionId, alice, 300);
        uint256 tokenId = _tokenId(editionId, 200);

        vm.prank(alice);
        collection.transferFrom(alice, bob, tokenId);
        vm.prank(bob);
        collection.transferFrom(bob, alice, tokenId);

        vm.assertEq(collection.ownerOf(tokenId), alice, "owner");
        vm.assertEq(collection.balanceOf(alice), 300, "alice balance");
        vm.assertEq(collection.balanceOf(bob), 0, "bob balance");
    }

    function test_transferFrom_clearsApproval() public {
        _mint(editionId, alice, 300);
        uint256 tokenId = _tokenId(editionId, 250);
        vm.prank(alice);
        collection.approve(carol, tokenId);
        vm.assertEq(collection.getApproved(tokenId), carol, "approved");

        vm.prank(carol);
        collection.transferFrom(alice, bob, tokenId);

        vm.assertEq(collection.getApproved(tokenId), address(0), "approval cleared");
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, carol, tokenId));
        vm.prank(carol);
        collection.transferFrom(bob, carol, tokenId);
    }

    function test_transferFrom_byOwnerClearsApproval() public {
        _mint(editionId, alice, 2);
        uint256 tokenId = _tokenId(editionId, 2);
        vm.startPrank(alice);
        collection.approve(carol, tokenId);
        collection.safeTransferFrom(alice, bob, tokenId);
        vm.stopPrank();

        vm.assertEq(collection.getApproved(tokenId), address(0), "approval cleared");
        vm.prank(bob);
        collection.transferFrom(bob, alice, tokenId);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, carol, tokenId));
        vm.prank(carol);
        collection.transferFrom(alice, carol, tokenId);
    }

    function test_approve_onBatchTokenKeepsBatchIntact() public {
        _mint(editionId, alice, 400);
        uint256 tokenId = _tokenId(editionId, FIRST_WORD_BOUNDARY_SERIAL);
        vm.prank(alice);
        collection.approve(carol, tokenId);

        _assertRangeOwnedBy(editionId, 1, 400, alice);
        vm.assertEq(collection.getApproved(tokenId), carol, "approved");
        vm.assertEq(collection.getApproved(tokenId + 1), address(0), "neighbour not approved");
    }

    function test_transferFrom_byOperator() public {
        _mint(editionId, alice, 300);
        vm.prank(alice);
        collection.setApprovalForAll(carol, true);

        vm.startPrank(carol);
        collection.transferFrom(alice, bob, _tokenId(editionId, 1));
        collection.safeTransferFrom(alice, bob, _tokenId(editionId, 299), "");
        vm.stopPrank();

        vm.assertEq(collection.balanceOf(bob), 2, "bob balance");
    }

    function test_transferFrom_revertsWhenCallerNotApproved() public {
        _mint(editionId, alice, 3);
        uint256 tokenId = _tokenId(editionId, 2);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, bob, tokenId));
        vm.prank(bob);
        collection.transferFrom(alice, bob, tokenId);
    }

    function test_transferFrom_revertsWhenFromIsNotOwner() public {
        _mint(editionId, alice, 3);
        uint256 tokenId = _tokenId(editionId, 2);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721IncorrectOwner.selector, bob, tokenId, alice));
        vm.prank(alice);
        collection.transferFrom(bob, carol, tokenId);
    }

    function test_transferFrom_revertsToZeroAddress() public {
        _mint(editionId, alice, 3);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        vm.prank(alice);
        collection.transferFrom(alice, address(0), _tokenId(editionId, 1));
    }

    function test_transferFrom_revertsForUnmintedToken() public {
        _mint(editionId, alice, 300);
        uint256 unminted = _tokenId(editionId, 301);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, unminted));
        vm.prank(alice);
        collection.transferFrom(alice, bob, unminted);
    }

    function test_transferFrom_revertsWhenPaused() public {
        _mint(editionId, alice, 3);
        vm.prank(admin);
        collection.pause();

        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(alice);
        collection.transferFrom(alice, bob, _tokenId(editionId, 1));
    }

    function test_safeTransferFrom_revertsToNonReceiver() public {
        _mint(editionId, alice, 3);
        address nonReceiver = address(new NonReceiver());

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, nonReceiver));
        vm.prank(alice);
        collection.safeTransferFrom(alice, nonReceiver, _tokenId(editionId, 1));
    }

    function test_balanceOf_revertsForZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidOwner.selector, address(0)));
        collection.balanceOf(address(0));
    }

    function test_approve_revertsWhenCallerNeitherOwnerNorOperator() public {
        _mint(editionId, alice, 20);
        uint256 tokenId = _tokenId(editionId, 10);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidApprover.selector, bob));
        vm.prank(bob);
        collection.approve(carol, tokenId);

        // Being approved for the token does not make one an approver of it.
        vm.prank(alice);
        collection.approve(carol, tokenId);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidApprover.selector, carol));
        vm.prank(carol);
        collection.approve(bob, tokenId);
    }

    function test_approveAndGetApproved_revertForUnmintedToken() public {
        _mint(editionId, alice, 300);
        uint256 unminted = _tokenId(editionId, 400);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, unminted));
        vm.prank(alice);
        collection.approve(alice, unminted);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, unminted));
        collection.getApproved(unminted);
    }

    function test_setApprovalForAll_revertsForZeroOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidOperator.selector, address(0)));
        vm.prank(alice);
        collection.setApprovalForAll(address(0), true);
    }

    function test_burn_removesTokenAndCountsIt() public {
        _mint(editionId, alice, 300);
        uint256 tokenId = _tokenId(editionId, 200);

        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.TokenBurned(tokenId, alice, 7);
        vm.prank(alice);
        collection.burn(tokenId, 7);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
        collection.ownerOf(tokenId);
        vm.assertEq(collection.balanceOf(alice), 299, "balance");
        vm.assertEq(collection.edition(editionId).burnedCount, 1, "burnedCount");
        (uint256 burnedEdition, uint256 burnedSerial) = collection.editionOf(tokenId);
        vm.assertEq(burnedEdition * SERIALS_PER_EDITION + burnedSerial, tokenId, "editionOf of a burned token");
        vm.assertEq(collection.ownerOf(tokenId - 1), alice, "neighbour before");
        vm.assertEq(collection.ownerOf(tokenId + 1), alice, "neighbour after");

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
        vm.prank(alice);
        collection.transferFrom(alice, bob, tokenId);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
        vm.prank(alice);
        collection.burn(tokenId, 0);
    }

    function test_burn_revertsWhenCallerNotApproved() public {
        _mint(editionId, alice, 3);
        uint256 tokenId = _tokenId(editionId, 1);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, bob, tokenId));
        vm.prank(bob);
        collection.burn(tokenId, 0);
    }

    /// @dev Moving any handful of tokens out of a large batch, by any of the three transfer paths, moves
    /// exactly those tokens: every other token of the batch and the neighbouring batches keep their owner.
    function testFuzz_transferFrom_anyTokensOfLargeBatch(
        uint16 prefixSeed,
        uint16 quantitySeed,
        uint256[6] memory serialSeeds
    ) public {
        uint256 prefix = bound(prefixSeed, 0, 260);
        uint256 quantity = bound(quantitySeed, 300, 600);
        if (prefix != 0) _mint(editionId, carol, prefix);
        _mint(editionId, alice, quantity);
        _mint(editionId, carol, 5);
        address[] memory expected = new address[](prefix + quantity + 5 + 1);
        for (uint256 serial = 1; serial < expected.length; ++serial) {
            expected[serial] = serial > prefix && serial <= prefix + quantity ? alice : carol;
        }

        for (uint256 i = 0; i < serialSeeds.length; ++i) {
            uint256 serial = prefix + bound(serialSeeds[i], 1, quantity);
            // Bias towards heads and word edges, where a lazy lookup could pick the wrong record.
            if (serialSeeds[i] % 4 == 0) serial = prefix + 1;
            if (serialSeeds[i] % 4 == 1 && prefix < FIRST_WORD_BOUNDARY_SERIAL) {
                serial = FIRST_WORD_BOUNDARY_SERIAL - (serialSeeds[i] >> 8) % 2;
            }
            uint256 tokenId = _tokenId(editionId, serial);
            address from = expected[serial];
            address to = from == bob ? alice : bob;
            vm.prank(from);
            uint256 path = (serialSeeds[i] >> 16) % 3;
            if (path == 0) collection.transferFrom(from, to, tokenId);
            else if (path == 1) collection.safeTransferFrom(from, to, tokenId);
            else collection.safeTransferFrom(from, to, tokenId, "data");
            expected[serial] = to;
        }

        uint256[3] memory balances;
        for (uint256 serial = 1; serial < expected.length; ++serial) {
            vm.assertEq(collection.ownerOf(_tokenId(editionId, serial)), expected[serial], "owner of every serial");
            if (expected[serial] == alice) ++balances[0];
            else if (expected[serial] == bob) ++balances[1];
            else ++balances[2];
        }
        vm.assertEq(collection.balanceOf(alice), balances[0], "alice balance");
        vm.assertEq(collection.balanceOf(bob), balances[1], "bob balance");
        vm.assertEq(collection.balanceOf(carol), balances[2], "carol balance");
    }

    /// @dev Whoever moves a token (owner, approved address or operator, by any path), its single-token
    /// approval is gone afterwards and the previously approved address cannot move it again.
    function testFuzz_transfer_clearsApproval(uint16 serialSeed, uint8 pathSeed, uint8 callerSeed) public {
        _mint(editionId, alice, 450);
        uint256 tokenId = _tokenId(editionId, bound(serialSeed, 1, 450));
        address approved = address(0xA99);
        address operator = address(0x0BE);
        vm.startPrank(alice);
        collection.approve(approved, tokenId);
        collection.setApprovalForAll(operator, true);
        vm.stopPrank();

        address caller = callerSeed % 3 == 0 ? alice : (callerSeed % 3 == 1 ? approved : operator);
        vm.prank(caller);
        if (pathSeed % 3 == 0) collection.transferFrom(alice, bob, tokenId);
        else if (pathSeed % 3 == 1) collection.safeTransferFrom(alice, bob, tokenId);
        else collection.safeTransferFrom(alice, bob, tokenId, "");

        vm.assertEq(collection.ownerOf(tokenId), bob, "moved");
        vm.assertEq(collection.getApproved(tokenId), address(0), "approval cleared");
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, approved, tokenId));
        vm.prank(approved);
        collection.transferFrom(bob, approved, tokenId);
    }

    function _assertRangeOwnedBy(
        uint256 editionId_,
        uint256 fromSerial,
        uint256 toSerial,
        address owner
    ) internal view {
        for (uint256 serial = fromSerial; serial <= toSerial; ++serial) {
            vm.assertEq(collection.ownerOf(_tokenId(editionId_, serial)), owner, "owner of range");
        }
    }
}
