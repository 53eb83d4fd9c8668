// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

import {IVermilionCollection} from "../../interfaces/IVermilionCollection.sol";

/**
 * @dev A voucher recipient that, from inside `onERC721Received`, records what the collection reports
 * about the voucher nonce and the edition, to show that redemption state is final before the callback.
 */
contract VoucherStateProbe is IERC721Receiver {
    uint256 public immutable watchedNonce;

    /// @dev Emitted on every callback with the state the collection showed at that moment.
    event StateObserved(uint256 tokenId, bool nonceRedeemed, uint256 mintedCount, address tokenOwner);

    constructor(uint256 watchedNonce_) {
        watchedNonce = watchedNonce_;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256 tokenId, bytes calldata) external returns (bytes4) {
        IVermilionCollection collection = IVermilionCollection(msg.sender);
        (uint256 editionId, ) = collection.editionOf(tokenId);
        emit StateObserved(
            tokenId,
            collection.isVoucherRedeemed(watchedNonce),
            collection.edition(editionId).mintedCount,
            IERC721OwnerOf(msg.sender).ownerOf(tokenId)
        );
        return IERC721Receiver.onERC721Received.selector;
    }
}

interface IERC721OwnerOf {
    function ownerOf(uint256 tokenId) external view returns (address);
}
