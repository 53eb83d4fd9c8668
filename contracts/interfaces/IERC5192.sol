// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @dev ERC-5192: minimal soulbound interface. Interface id 0xb45a3c0e.
interface IERC5192 {
    /// @notice Emitted when the locking status of a token changes from unlocked to locked.
    event Locked(uint256 tokenId);

    /// @notice Emitted when the locking status of a token changes from locked to unlocked.
    event Unlocked(uint256 tokenId);

    /// @notice Returns whether the token is currently locked (its transfers revert).
    function locked(uint256 tokenId) external view returns (bool);
}
