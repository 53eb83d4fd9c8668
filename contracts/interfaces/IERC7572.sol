// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @dev ERC-7572: contract-level metadata via `contractURI()`.
interface IERC7572 {
    /// @notice Emitted when the contract-level metadata URI changes.
    event ContractURIUpdated();

    /// @notice The URI of the contract-level metadata document.
    function contractURI() external view returns (string memory);
}
