// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @dev The gas benchmark's OpenZeppelin peer: plain `ERC721` with external wrappers around `_mint`.
contract OpenZeppelinERC721Bench is ERC721 {
    constructor() ERC721("OpenZeppelin Bench", "OZB") {}

    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }

    function mintBatch(address to, uint256 firstTokenId, uint256 quantity) external {
        for (uint256 i = 0; i < quantity; ++i) _mint(to, firstTokenId + i);
    }

    function airdrop(address[] calldata recipients, uint256 firstTokenId) external {
        for (uint256 i = 0; i < recipients.length; ++i) _mint(recipients[i], firstTokenId + i);
    }
}
