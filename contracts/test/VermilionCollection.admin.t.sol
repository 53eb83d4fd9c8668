// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/// @dev Pause, contract metadata and the interfaces a collection announces.
contract VermilionCollectionAdminTest is VermilionTestBase {
    uint256 internal editionId;

    function setUp() public override {
        super.setUp();
        editionId = _createEdition(100);
        _mint(editionId, alice, 10);
        vm.prank(admin);
        collection.pause();
    }

    function test_pause_stopsMintAirdropAndBurn() public {
        address[] memory recipients = new address[](1);
        recipients[0] = bob;

        vm.startPrank(issuer);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        collection.mint(editionId, bob, 1);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        collection.airdrop(editionId, recipients);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(alice);
        collection.burn(_tokenId(editionId, 1), 0);
    }

    function test_unpause_resumesTransfers() public {
        vm.prank(admin);
        collection.unpause();

        vm.prank(alice);
        collection.transferFrom(alice, bob, _tokenId(editionId, 5));
        vm.assertEq(collection.ownerOf(_tokenId(editionId, 5)), bob, "moved after unpause");
    }

    function test_pause_revertsWhenCallerNotAdmin() public {
        _expectUnauthorized(issuer, collection.DEFAULT_ADMIN_ROLE());
        vm.prank(issuer);
        collection.unpause();

        vm.prank(admin);
        collection.unpause();
        _expectUnauthorized(issuer, collection.DEFAULT_ADMIN_ROLE());
        vm.prank(issuer);
        collection.pause();
    }

    function test_pause_revertsWhenPausedAlreadyAndUnpauseWhenActive() public {
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(admin);
        collection.pause();

        vm.prank(admin);
        collection.unpause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.ExpectedPause.selector));
        vm.prank(admin);
        collection.unpause();
    }

    function test_grantRoleAndRevokeRole_revertWhenCallerNotAdmin() public {
        bytes32 issuerRole = collection.ISSUER_ROLE();
        bytes memory notAdmin = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            issuer,
            collection.DEFAULT_ADMIN_ROLE()
        );
        vm.expectRevert(notAdmin);
        vm.prank(issuer);
        collection.grantRole(issuerRole, bob);
        vm.expectRevert(notAdmin);
        vm.prank(issuer);
        collection.revokeRole(issuerRole, issuer);
    }

    function test_renounceRole_revertsForAnotherAccount() public {
        bytes32 issuerRole = collection.ISSUER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlBadConfirmation.selector));
        vm.prank(admin);
        collection.renounceRole(issuerRole, issuer);
    }

    function test_setContractURI_onlyAdmin() public {
        vm.prank(admin);
        collection.setContractURI("ipfs://bafynewcontract");
        vm.assertEq(collection.contractURI(), "ipfs://bafynewcontract", "contractURI");

        _expectUnauthorized(alice, collection.DEFAULT_ADMIN_ROLE());
        vm.prank(alice);
        collection.setContractURI("ipfs://hijack");
    }

    function test_supportsInterface_announcesTheStandards() public view {
        vm.assertTrue(collection.supportsInterface(0x01ffc9a7), "ERC-165");
        vm.assertTrue(collection.supportsInterface(0x80ac58cd), "ERC-721");
        vm.assertTrue(collection.supportsInterface(0x5b5e139f), "ERC-721 metadata");
        vm.assertTrue(collection.supportsInterface(0x2a55205a), "ERC-2981");
        vm.assertTrue(collection.supportsInterface(0x49064906), "ERC-4906");
        vm.assertTrue(collection.supportsInterface(0xb45a3c0e), "ERC-5192");
        vm.assertTrue(collection.supportsInterface(0x7965db0b), "AccessControl");
        vm.assertFalse(collection.supportsInterface(0xffffffff), "never 0xffffffff");
    }
}
