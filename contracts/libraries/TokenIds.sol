// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @dev A token id is `editionId * 1,000,000 + serial`, so `editionOf` is pure arithmetic (no storage) and
 * ids stay readable in decimal: token 3000042 is serial 42 of edition 3. Serials of one edition are
 * contiguous ids, which is what lazy batch ownership needs.
 */
library TokenIds {
    /// @dev Number of ids reserved per edition; serials run from 1 to `MAX_SERIAL`.
    uint256 internal constant SERIALS_PER_EDITION = 1_000_000;
    uint256 internal constant MAX_SERIAL = SERIALS_PER_EDITION - 1;

    function encode(uint256 editionId, uint256 serial) internal pure returns (uint256 tokenId) {
        return editionId * SERIALS_PER_EDITION + serial;
    }

    function decode(uint256 tokenId) internal pure returns (uint256 editionId, uint256 serial) {
        // Division by a non-zero constant cannot revert.
        unchecked {
            editionId = tokenId / SERIALS_PER_EDITION;
            serial = tokenId % SERIALS_PER_EDITION;
        }
    }
}
