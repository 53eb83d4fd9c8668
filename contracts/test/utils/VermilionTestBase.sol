// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IVermilionCollection} from "../../interfaces/IVermilionCollection.sol";
import {IVermilionFactory} from "../../interfaces/IVermilionFactory.sol";
import {VermilionCollection} from "../../VermilionCollection.sol";
import {VermilionFactory} from "../../VermilionFactory.sol";
import {Test} from "./Vm.sol";

/**
 * @dev A factory, its implementation and one issuer's collection cloned from it, the way production
 * deploys them, plus helpers to create editions and sign vouchers.
 */
abstract contract VermilionTestBase is Test {
    uint256 internal constant SERIALS_PER_EDITION = 1_000_000;
    uint256 internal constant ISSUER_KEY = 0xA11CE;
    uint256 internal constant STRANGER_KEY = 0xBAD;
    bytes32 internal constant CONTENT_SHA256 = keccak256("vermilion mural bytes");
    string internal constant METADATA_CID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    string internal constant MEDIA_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    VermilionCollection internal implementation;
    VermilionFactory internal factory;
    VermilionCollection internal collection;

    address internal admin = address(0xAD);
    address internal issuer;
    address internal alice = address(0xA1);
    address internal bob = address(0xB0);
    address internal carol = address(0xC0);

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        issuer = vm.addr(ISSUER_KEY);
        implementation = new VermilionCollection();
        factory = new VermilionFactory(address(implementation), address(this));
        collection = _createCollection(bytes32("vermilion"));
        vm.label(address(collection), "collection");
        vm.label(issuer, "issuer");
        vm.label(alice, "alice");
        vm.label(bob, "bob");
        vm.label(carol, "carol");
    }

    function _createCollection(bytes32 salt) internal returns (VermilionCollection) {
        IVermilionFactory.CollectionParams memory params = IVermilionFactory.CollectionParams({
            name: "Vermilion Museum",
            symbol: "VMM",
            admin: admin,
            issuer: issuer,
            contractURI: "ipfs://bafycontract"
        });
        return VermilionCollection(factory.createCollection(params, salt));
    }

    function _editionParams(
        uint32 maxSupply,
        IVermilionCollection.TransferPolicy policy,
        uint32 holdSeconds
    ) internal pure returns (IVermilionCollection.EditionParams memory) {
        return
            IVermilionCollection.EditionParams({
                maxSupply: maxSupply,
                metadataCid: METADATA_CID,
                mediaCid: MEDIA_CID,
                contentSha256: CONTENT_SHA256,
                royaltyReceiver: address(0x5EA1),
                royaltyBps: 500,
                transferPolicy: policy,
                holdSeconds: holdSeconds
            });
    }

    function _createEdition(uint32 maxSupply) internal returns (uint256) {
        return _createEdition(collection, maxSupply, IVermilionCollection.TransferPolicy.Free, 0);
    }

    function _createEdition(
        VermilionCollection target,
        uint32 maxSupply,
        IVermilionCollection.TransferPolicy policy,
        uint32 holdSeconds
    ) internal returns (uint256 editionId) {
        vm.prank(issuer);
        editionId = target.createEdition(_editionParams(maxSupply, policy, holdSeconds));
    }

    function _mint(uint256 editionId, address to, uint256 quantity) internal returns (uint256 firstTokenId) {
        vm.prank(issuer);
        firstTokenId = collection.mint(editionId, to, quantity);
    }

    /**
     * @dev The current block timestamp, read through the cheatcode: under viaIR the optimizer may move a
     * `block.timestamp` read past a later `vm.warp` in the same test, which would capture the wrong time.
     */
    /// @dev Expects the next call to revert with `AccessControlUnauthorizedAccount(account, role)`.
    function _expectUnauthorized(address account, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role));
    }

    function _now() internal view returns (uint256) {
        return vm.getBlockTimestamp();
    }

    function _tokenId(uint256 editionId, uint256 serial) internal pure returns (uint256) {
        return editionId * SERIALS_PER_EDITION + serial;
    }

    function _voucher(
        uint256 editionId,
        address to,
        uint256 quantity,
        uint256 nonce
    ) internal view returns (IVermilionCollection.MintVoucher memory) {
        return
            IVermilionCollection.MintVoucher({
                editionId: editionId,
                to: to,
                quantity: quantity,
                nonce: nonce,
                deadline: _now() + 1 days
            });
    }

    /// @dev A 65-byte `r ‖ s ‖ v` signature of `voucher` for `target`'s EIP-712 domain.
    function _sign(
        uint256 privateKey,
        VermilionCollection target,
        IVermilionCollection.MintVoucher memory voucher
    ) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, target.voucherDigest(voucher));
        return abi.encodePacked(r, s, v);
    }
}
