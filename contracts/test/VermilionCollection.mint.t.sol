// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/// @dev Supply caps, serial allocation and `editionOf` for `mint` and `airdrop`.
contract VermilionCollectionMintTest is VermilionTestBase {
    function test_mint_assignsContiguousSerialsFromOne() public {
        uint256 editionId = _createEdition(10);

        uint256 first = _mint(editionId, alice, 3);
        uint256 second = _mint(editionId, bob, 2);

        vm.assertEq(first, _tokenId(editionId, 1), "first batch starts at serial 1");
        vm.assertEq(second, _tokenId(editionId, 4), "second batch continues at serial 4");
        vm.assertEq(collection.ownerOf(_tokenId(editionId, 3)), alice, "serial 3");
        vm.assertEq(collection.ownerOf(_tokenId(editionId, 4)), bob, "serial 4");
        vm.assertEq(collection.edition(editionId).mintedCount, 5, "mintedCount");
    }

    function test_mint_revertsWhenSupplyExceeded() public {
        uint256 editionId = _createEdition(10);
        _mint(editionId, alice, 7);

        vm.expectRevert(
            abi.encodeWithSelector(IVermilionCollection.EditionSupplyExceeded.selector, editionId, 4, 3)
        );
        vm.prank(issuer);
        collection.mint(editionId, alice, 4);
    }

    function test_mint_revertsWhenSoldOut() public {
        uint256 editionId = _createEdition(5);
        _mint(editionId, alice, 5);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
        vm.prank(issuer);
        collection.mint(editionId, alice, 1);
    }

    function test_mint_sealsEditionAtMaxSupply() public {
        uint256 editionId = _createEdition(4);
        _mint(editionId, alice, 3);
        vm.assertFalse(collection.edition(editionId).isSealed, "not sealed before the last serial");

        vm.expectEmit(true, true, true, true, address(collection));
        emit IVermilionCollection.EditionSealed(editionId, 4, false);
        _mint(editionId, alice, 1);

        vm.assertTrue(collection.edition(editionId).isSealed, "sealed at max supply");
    }

    function test_mint_revertsWhenQuantityZero() public {
        uint256 editionId = _createEdition(5);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.InvalidQuantity.selector, 0));
        vm.prank(issuer);
        collection.mint(editionId, alice, 0);
    }

    function test_mint_revertsWhenEditionNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 7));
        vm.prank(issuer);
        collection.mint(7, alice, 1);
        // Editions are numbered from 1: there is no edition 0.
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 0));
        vm.prank(issuer);
        collection.mint(0, alice, 1);
    }

    function test_mint_revertsWhenCallerNotIssuer() public {
        uint256 editionId = _createEdition(5);

        _expectUnauthorized(alice, collection.ISSUER_ROLE());
        vm.prank(alice);
        collection.mint(editionId, alice, 1);

        // Not even the admin, who can grant the role but does not hold it.
        _expectUnauthorized(admin, collection.ISSUER_ROLE());
        vm.prank(admin);
        collection.mint(editionId, alice, 1);
    }

    function test_mint_revertsWhenRecipientZero() public {
        uint256 editionId = _createEdition(5);

        // Both the single-token path and the batch path refuse it.
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        vm.prank(issuer);
        collection.mint(editionId, address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        vm.prank(issuer);
        collection.mint(editionId, address(0), 2);
    }

    function test_mint_revertsWhenClosedEarly() public {
        uint256 editionId = _createEdition(10);
        _mint(editionId, alice, 2);
        vm.prank(issuer);
        collection.closeEdition(editionId);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
        vm.prank(issuer);
        collection.mint(editionId, alice, 1);
    }

    function test_airdrop_mintsOneSerialPerRecipientInOrder() public {
        uint256 editionId = _createEdition(10);
        _mint(editionId, carol, 2);
        address[] memory recipients = new address[](3);
        recipients[0] = alice;
        recipients[1] = bob;
        recipients[2] = alice;

        vm.prank(issuer);
        uint256 first = collection.airdrop(editionId, recipients);

        vm.assertEq(first, _tokenId(editionId, 3), "airdrop continues the serials");
        vm.assertEq(collection.ownerOf(_tokenId(editionId, 3)), alice, "serial 3");
        vm.assertEq(collection.ownerOf(_tokenId(editionId, 4)), bob, "serial 4");
        vm.assertEq(collection.ownerOf(_tokenId(editionId, 5)), alice, "serial 5");
        vm.assertEq(collection.balanceOf(alice), 2, "alice balance");
    }

    function test_airdrop_revertsWhenRecipientsExceedRemaining() public {
        uint256 editionId = _createEdition(4);
        _mint(editionId, carol, 2);
        address[] memory recipients = new address[](3);
        recipients[0] = alice;
        recipients[1] = bob;
        recipients[2] = carol;

        vm.expectRevert(
            abi.encodeWithSelector(IVermilionCollection.EditionSupplyExceeded.selector, editionId, 3, 2)
        );
        vm.prank(issuer);
        collection.airdrop(editionId, recipients);
    }

    function test_airdrop_revertsWhenEditionNotFoundOrCallerNotIssuer() public {
        uint256 editionId = _createEdition(5);
        address[] memory recipients = new address[](1);
        recipients[0] = bob;

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 9));
        vm.prank(issuer);
        collection.airdrop(9, recipients);

        _expectUnauthorized(bob, collection.ISSUER_ROLE());
        vm.prank(bob);
        collection.airdrop(editionId, recipients);
    }

    function test_airdrop_revertsWhenNoRecipients() public {
        uint256 editionId = _createEdition(4);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.InvalidQuantity.selector, 0));
        vm.prank(issuer);
        collection.airdrop(editionId, new address[](0));
    }

    function test_airdrop_revertsWhenARecipientIsZero() public {
        uint256 editionId = _createEdition(4);
        address[] memory recipients = new address[](2);
        recipients[0] = alice;

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        vm.prank(issuer);
        collection.airdrop(editionId, recipients);
    }

    function test_editionOf_revertsForSerialZeroAndUnminted() public {
        uint256 editionId = _createEdition(4);
        _mint(editionId, alice, 2);

        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, _tokenId(editionId, 0)));
        collection.editionOf(_tokenId(editionId, 0));
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, _tokenId(editionId, 3)));
        collection.editionOf(_tokenId(editionId, 3));
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, _tokenId(editionId + 4, 1)));
        collection.editionOf(_tokenId(editionId + 4, 1));
    }

    /// @dev Whatever sequence of batch sizes the issuer asks for, the edition never passes its max supply,
    /// every accepted batch continues the serials, and a refused batch names exactly what was left.
    function testFuzz_mint_neverExceedsMaxSupply(uint32 maxSupplySeed, uint256[8] memory quantitySeeds) public {
        uint256 maxSupply = bound(maxSupplySeed, 1, 1_500);
        uint256 editionId = _createEdition(uint32(maxSupply));
        uint256 minted;

        for (uint256 i = 0; i < quantitySeeds.length; ++i) {
            uint256 quantity = bound(quantitySeeds[i], 1, 700);
            uint256 remaining = maxSupply - minted;
            vm.prank(issuer);
            if (remaining == 0) {
                vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
                collection.mint(editionId, alice, quantity);
            } else if (quantity > remaining) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVermilionCollection.EditionSupplyExceeded.selector,
                        editionId,
                        quantity,
                        remaining
                    )
                );
                collection.mint(editionId, alice, quantity);
            } else {
                uint256 firstTokenId = collection.mint(editionId, alice, quantity);
                vm.assertEq(firstTokenId, _tokenId(editionId, minted + 1), "batch continues the serials");
                minted += quantity;
            }
            IVermilionCollection.EditionView memory view_ = collection.edition(editionId);
            vm.assertEq(view_.mintedCount, minted, "mintedCount matches the accepted batches");
            vm.assertLe(view_.mintedCount, maxSupply, "mintedCount <= maxSupply");
            vm.assertEq(view_.isSealed, minted == maxSupply, "sealed exactly when full");
        }
        vm.assertEq(collection.balanceOf(alice), minted, "balance equals minted");
    }

    /// @dev Airdrops interleaved with batch mints keep the cap and the serial order.
    function testFuzz_airdrop_neverExceedsMaxSupply(uint32 maxSupplySeed, uint8[6] memory sizeSeeds) public {
        uint256 maxSupply = bound(maxSupplySeed, 1, 60);
        uint256 editionId = _createEdition(uint32(maxSupply));
        uint256 minted;

        for (uint256 i = 0; i < sizeSeeds.length; ++i) {
            uint256 size = bound(sizeSeeds[i], 1, 25);
            address[] memory recipients = new address[](size);
            for (uint256 j = 0; j < size; ++j) recipients[j] = address(uint160(0x1000 + minted + j));
            uint256 remaining = maxSupply - minted;
            vm.prank(issuer);
            if (remaining == 0) {
                vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
                collection.airdrop(editionId, recipients);
            } else if (size > remaining) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVermilionCollection.EditionSupplyExceeded.selector,
                        editionId,
                        size,
                        remaining
                    )
                );
                collection.airdrop(editionId, recipients);
            } else {
                uint256 first = collection.airdrop(editionId, recipients);
                vm.assertEq(first, _tokenId(editionId, minted + 1), "airdrop continues the serials");
                for (uint256 j = 0; j < size; ++j) {
                    vm.assertEq(collection.ownerOf(first + j), recipients[j], "recipient j gets serial first + j");
                }
                minted += size;
            }
            vm.assertLe(collection.edition(editionId).mintedCount, maxSupply, "mintedCount <= maxSupply");
        }
        vm.assertEq(collection.edition(editionId).mintedCount, minted, "mintedCount");
    }

    /// @dev `editionOf` inverts `editionId * 1e6 + serial` for every minted serial, across editions.
    function testFuzz_editionOf_matchesTokenIdEncoding(uint8 editionCountSeed, uint16 quantitySeed, uint256 probe)
        public
    {
        uint256 editions = bound(editionCountSeed, 1, 4);
        uint256 quantity = bound(quantitySeed, 1, 600);
        for (uint256 i = 0; i < editions; ++i) {
            uint256 editionId = _createEdition(999_999);
            _mint(editionId, alice, quantity);
        }
        uint256 probedEdition = bound(probe, 1, editions);
        uint256 serial = bound(probe >> 128, 1, quantity);
        uint256 tokenId = _tokenId(probedEdition, serial);

        (uint256 editionId_, uint256 serial_) = collection.editionOf(tokenId);
        vm.assertEq(editionId_, probedEdition, "editionId");
        vm.assertEq(serial_, serial, "serial");
        vm.assertEq(collection.ownerOf(tokenId), alice, "owner");
        vm.assertEq(
            collection.tokenURI(tokenId),
            string.concat("ipfs://", METADATA_CID, "/", Strings.toString(serial), ".json"),
            "tokenURI names the serial"
        );

        uint256 past = _tokenId(probedEdition, quantity + 1);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, past));
        collection.editionOf(past);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, past));
        collection.ownerOf(past);
    }

    /// @dev A large batch is readable token by token right after the mint, including both sides of every
    /// 256-id word boundary, and nothing is owned just past its end.
    function testFuzz_mint_largeBatchOwnedEverywhere(uint16 prefixSeed, uint16 quantitySeed) public {
        uint256 editionId = _createEdition(2_000);
        uint256 prefix = bound(prefixSeed, 0, 300);
        uint256 quantity = bound(quantitySeed, 300, 600);
        if (prefix != 0) _mint(editionId, carol, prefix);

        uint256 first = _mint(editionId, alice, quantity);

        for (uint256 tokenId = first; tokenId < first + quantity; ++tokenId) {
            vm.assertEq(collection.ownerOf(tokenId), alice, "every token of the batch");
        }
        if (prefix != 0) vm.assertEq(collection.ownerOf(first - 1), carol, "token before the batch");
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, first + quantity));
        collection.ownerOf(first + quantity);
        vm.assertEq(collection.balanceOf(alice), quantity, "balance");
    }
}
