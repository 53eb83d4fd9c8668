// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

interface IERC721Transfers {
    function transferFrom(address from, address to, uint256 tokenId) external;
    function setApprovalForAll(address operator, bool approved) external;
}

/// @notice A token holder that lets the relay that created it move its tokens.
contract RelayHolder {
    constructor(IERC721Transfers collection) {
        collection.setApprovalForAll(msg.sender, true);
    }
}

/// @notice Benchmark helper: moves many tokens many times in one transaction, so a chain with millions
/// of real Transfer logs can be built on Anvil in minutes. Tokens minted to the relay hop relay -> holder
/// -> relay -> another holder ..., each hop a real `transferFrom` on the collection.
contract TransferRelay {
    IERC721Transfers public immutable collection;
    address[] public holders;

    constructor(IERC721Transfers collection_, uint256 holderCount) {
        collection = collection_;
        for (uint256 i = 0; i < holderCount; i++) {
            holders.push(address(new RelayHolder(collection_)));
        }
    }

    /// @notice Moves every token in `tokenIds` through `hops` transfers, starting from the relay.
    function shuffle(uint256[] calldata tokenIds, uint256 hops) external {
        uint256 holderCount = holders.length;
        for (uint256 t = 0; t < tokenIds.length; t++) {
            uint256 tokenId = tokenIds[t];
            address current = address(this);
            for (uint256 h = 0; h < hops; h++) {
                address next = current == address(this) ? holders[(tokenId + h) % holderCount] : address(this);
                collection.transferFrom(current, next, tokenId);
                current = next;
            }
        }
    }

    /// @notice The holder a token ends at after an odd number of hops from the relay.
    function finalHolder(uint256 tokenId, uint256 hops) external view returns (address) {
        return hops % 2 == 0 ? address(this) : holders[(tokenId + hops - 1) % holders.length];
    }
}
