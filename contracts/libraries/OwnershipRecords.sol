// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @dev An ownership record is one storage word, so a transfer reads and writes everything it needs about
 * a token in one slot:
 *
 * | bits     | field                                                                      |
 * | -------- | -------------------------------------------------------------------------- |
 * | 0..159   | owner                                                                      |
 * | 160..199 | acquiredAt: timestamp of the mint or transfer that gave the owner the token |
 * | 200      | restricted: the edition's transfer policy was not free at acquisition       |
 * | 201      | burned                                                                     |
 * | 202      | approved: a single-token approval may be stored for this token              |
 * | 208..239 | quantity (batch records only): tokens covered from the batch head           |
 *
 * `restricted` is sound as a fast path because policies can only loosen: a token acquired under a free
 * policy stays free, so only restricted tokens need to read their edition's current policy.
 */
library OwnershipRecords {
    uint256 internal constant OWNER_MASK = (1 << 160) - 1;
    uint256 internal constant ACQUIRED_AT_SHIFT = 160;
    uint256 internal constant ACQUIRED_AT_MASK = (1 << 40) - 1;
    uint256 internal constant RESTRICTED = 1 << 200;
    uint256 internal constant BURNED = 1 << 201;
    uint256 internal constant APPROVED = 1 << 202;
    uint256 internal constant QUANTITY_SHIFT = 208;
    uint256 internal constant QUANTITY_MASK = (1 << 32) - 1;
    /// @dev Fields that belong to a batch, not to a single token: cleared when a token gets its own record.
    uint256 internal constant BATCH_ONLY = QUANTITY_MASK << QUANTITY_SHIFT;

    function create(address holder, uint256 timestamp, uint256 flags) internal pure returns (uint256) {
        // Masked so a timestamp past 2**40 (year 36,812) can never spill into the flag bits.
        return uint256(uint160(holder)) | ((timestamp & ACQUIRED_AT_MASK) << ACQUIRED_AT_SHIFT) | flags;
    }

    function owner(uint256 record) internal pure returns (address) {
        return address(uint160(record & OWNER_MASK));
    }

    function acquiredAt(uint256 record) internal pure returns (uint256) {
        return (record >> ACQUIRED_AT_SHIFT) & ACQUIRED_AT_MASK;
    }

    function quantity(uint256 record) internal pure returns (uint256) {
        return (record >> QUANTITY_SHIFT) & QUANTITY_MASK;
    }

    function has(uint256 record, uint256 flag) internal pure returns (bool) {
        return record & flag != 0;
    }
}
