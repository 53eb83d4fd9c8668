// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VermilionCollection} from "../VermilionCollection.sol";

/**
 * @dev The collection deployed directly rather than as a clone, so the gas benchmark can show what the
 * EIP-1167 proxy itself adds. Roles go to the deployer; nothing else differs.
 */
contract VermilionCollectionBench is VermilionCollection {
    constructor() {
        _initializeERC721("Vermilion Bench", "VB");
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(ISSUER_ROLE, msg.sender);
    }
}
