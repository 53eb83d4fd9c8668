// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721A} from "erc721a/contracts/ERC721A.sol";

/// @dev The gas benchmark's ERC721A peer, with external wrappers around `_mint`.
contract ERC721ABench is ERC721A {
    constructor() ERC721A("ERC721A Bench", "AB") {}

    function mint(address to, uint256 quantity) external {
        _mint(to, quantity);
    }

    function airdrop(address[] calldata recipients) external {
        for (uint256 i = 0; i < recipients.length; ++i) _mint(recipients[i], 1);
    }

    function _startTokenId() internal pure override returns (uint256) {
        return 1;
    }
}
