// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/// @dev What an issuer may create, close and freeze.
contract VermilionCollectionEditionsTest is VermilionTestBase {
    function test_createEdition_numbersEditionsFromOne() public {
        vm.assertEq(_createEdition(10), 1, "first edition");
        vm.assertEq(_createEdition(10), 2, "second edition");
        vm.assertEq(collection.editionCount(), 2, "editionCount");
    }

    function test_createEdition_revertsWhenMaxSupplyZeroOrTooLarge() public {
        _expectCreateReverts(
            _editionParams(0, IVermilionCollection.TransferPolicy.Free, 0),
            abi.encodeWithSelector(IVermilionCollection.InvalidMaxSupply.selector, 0)
        );
        _expectCreateReverts(
            _editionParams(1_000_000, IVermilionCollection.TransferPolicy.Free, 0),
            abi.encodeWithSelector(IVermilionCollection.InvalidMaxSupply.selector, 1_000_000)
        );
    }

    function test_createEdition_acceptsLargestMaxSupplyAndMintsLastSerial() public {
        uint256 editionId = _createEdition(999_999);
        _mint(editionId, alice, 600);
        vm.prank(issuer);
        collection.closeEdition(editionId);

        vm.assertEq(collection.ownerOf(_tokenId(editionId, 600)), alice, "serial 600");
        vm.assertLe(_tokenId(editionId, 999_999), _tokenId(editionId + 1, 0), "ids of editions never overlap");
    }

    function test_createEdition_revertsWithInvalidCid() public {
        IVermilionCollection.EditionParams memory params = _freeParams();
        params.metadataCid = "";
        _expectCreateReverts(params, abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, ""));

        params = _freeParams();
        params.metadataCid = string(new bytes(129));
        _expectCreateReverts(params, abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, params.metadataCid));

        params = _freeParams();
        params.mediaCid = "";
        _expectCreateReverts(params, abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, ""));

        params = _freeParams();
        params.mediaCid = string(new bytes(129));
        _expectCreateReverts(params, abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, params.mediaCid));
    }

    /// @dev The 128-byte limit counts bytes: 65 two-byte characters (130 bytes) are too long.
    function test_createEdition_measuresCidsInBytes() public {
        bytes memory twoByteCharacters = new bytes(130);
        for (uint256 i = 0; i < 130; i += 2) {
            twoByteCharacters[i] = 0xc3;
            twoByteCharacters[i + 1] = 0xa9;
        }
        IVermilionCollection.EditionParams memory params = _freeParams();
        params.metadataCid = string(twoByteCharacters);
        _expectCreateReverts(params, abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, params.metadataCid));
    }

    function test_createEdition_revertsWithZeroContentSha256() public {
        IVermilionCollection.EditionParams memory params = _freeParams();
        params.contentSha256 = bytes32(0);
        _expectCreateReverts(params, abi.encodeWithSelector(IVermilionCollection.InvalidContentSha256.selector));
    }

    function test_createEdition_revertsWithInvalidRoyalty() public {
        IVermilionCollection.EditionParams memory params = _freeParams();
        params.royaltyBps = 10_001;
        _expectCreateReverts(
            params,
            abi.encodeWithSelector(IVermilionCollection.InvalidRoyalty.selector, params.royaltyReceiver, 10_001)
        );
        params.royaltyBps = 1;
        params.royaltyReceiver = address(0);
        _expectCreateReverts(
            params,
            abi.encodeWithSelector(IVermilionCollection.InvalidRoyalty.selector, address(0), 1)
        );
    }

    function test_createEdition_revertsWithInconsistentHold() public {
        _expectCreateReverts(
            _editionParams(5, IVermilionCollection.TransferPolicy.Hold, 0),
            abi.encodeWithSelector(
                IVermilionCollection.InvalidTransferPolicy.selector,
                IVermilionCollection.TransferPolicy.Hold,
                0
            )
        );
        _expectCreateReverts(
            _editionParams(5, IVermilionCollection.TransferPolicy.Free, 60),
            abi.encodeWithSelector(
                IVermilionCollection.InvalidTransferPolicy.selector,
                IVermilionCollection.TransferPolicy.Free,
                60
            )
        );
        _expectCreateReverts(
            _editionParams(5, IVermilionCollection.TransferPolicy.Soulbound, 60),
            abi.encodeWithSelector(
                IVermilionCollection.InvalidTransferPolicy.selector,
                IVermilionCollection.TransferPolicy.Soulbound,
                60
            )
        );
    }

    function test_createEdition_revertsWhenCallerNotIssuer() public {
        IVermilionCollection.EditionParams memory params = _freeParams();
        _expectUnauthorized(alice, collection.ISSUER_ROLE());
        vm.prank(alice);
        collection.createEdition(params);

        // Not even the admin, who can grant the role but does not hold it.
        _expectUnauthorized(admin, collection.ISSUER_ROLE());
        vm.prank(admin);
        collection.createEdition(params);
    }

    function test_closeEdition_revertsWhenAlreadySealed() public {
        uint256 editionId = _createEdition(2);
        _mint(editionId, alice, 2);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
        vm.prank(issuer);
        collection.closeEdition(editionId);
    }

    function test_edition_revertsWhenEditionNotFound() public {
        _createEdition(5);
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 2));
        collection.edition(2);
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 0));
        collection.edition(0);
    }

    function test_closeEdition_revertsWhenClosedAlready() public {
        uint256 editionId = _createEdition(5);
        vm.startPrank(issuer);
        collection.closeEdition(editionId);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, editionId));
        collection.closeEdition(editionId);
        vm.stopPrank();
    }

    function test_closeEdition_revertsWhenEditionNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 7));
        vm.prank(issuer);
        collection.closeEdition(7);
    }

    function test_closeEdition_revertsWhenCallerNotIssuer() public {
        uint256 editionId = _createEdition(5);

        _expectUnauthorized(admin, collection.ISSUER_ROLE());
        vm.prank(admin);
        collection.closeEdition(editionId);
    }

    function test_freezeEditionMetadata_blocksFurtherUpdates() public {
        uint256 editionId = _createEdition(2);
        vm.startPrank(issuer);
        collection.freezeEditionMetadata(editionId);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.MetadataIsFrozen.selector, editionId));
        collection.setEditionMetadata(editionId, "bafynew");
        vm.stopPrank();
    }

    function test_setEditionMetadata_revertsWithInvalidCid() public {
        uint256 editionId = _createEdition(2);
        string memory tooLong = string(new bytes(129));
        vm.startPrank(issuer);
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, ""));
        collection.setEditionMetadata(editionId, "");
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.InvalidCid.selector, tooLong));
        collection.setEditionMetadata(editionId, tooLong);
        vm.stopPrank();
    }

    function test_editionMetadata_revertsWhenEditionNotFound() public {
        vm.startPrank(issuer);
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 3));
        collection.setEditionMetadata(3, "bafynew");
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.EditionNotFound.selector, 3));
        collection.freezeEditionMetadata(3);
        vm.stopPrank();
    }

    function test_editionMetadata_revertsWhenCallerNotIssuer() public {
        uint256 editionId = _createEdition(2);
        bytes memory notIssuer = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            admin,
            collection.ISSUER_ROLE()
        );
        vm.startPrank(admin);
        vm.expectRevert(notIssuer);
        collection.setEditionMetadata(editionId, "bafynew");
        vm.expectRevert(notIssuer);
        collection.freezeEditionMetadata(editionId);
        vm.stopPrank();
    }

    function test_freezeEditionMetadata_revertsWhenFrozenAlready() public {
        uint256 editionId = _createEdition(2);
        vm.startPrank(issuer);
        collection.freezeEditionMetadata(editionId);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.MetadataIsFrozen.selector, editionId));
        collection.freezeEditionMetadata(editionId);
        vm.stopPrank();
    }

    /// @dev Royalties are the edition's bps of the sale price, for any price that cannot overflow.
    function testFuzz_royaltyInfo_isBpsOfPrice(uint16 bpsSeed, uint128 salePrice) public {
        IVermilionCollection.EditionParams memory params = _freeParams();
        params.royaltyBps = uint16(bound(bpsSeed, 0, 10_000));
        vm.prank(issuer);
        uint256 editionId = collection.createEdition(params);

        (address receiver, uint256 amount) = collection.royaltyInfo(_tokenId(editionId, 1), salePrice);

        vm.assertEq(receiver, params.royaltyReceiver, "receiver");
        vm.assertEq(amount, (uint256(salePrice) * params.royaltyBps) / 10_000, "amount");
        vm.assertLe(amount, salePrice, "never above the price");
    }

    function _freeParams() internal pure returns (IVermilionCollection.EditionParams memory) {
        return _editionParams(5, IVermilionCollection.TransferPolicy.Free, 0);
    }

    function _expectCreateReverts(IVermilionCollection.EditionParams memory params, bytes memory revertData) internal {
        vm.expectRevert(revertData);
        vm.prank(issuer);
        collection.createEdition(params);
    }
}
