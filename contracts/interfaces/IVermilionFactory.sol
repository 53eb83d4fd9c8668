// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Vermilion factory: deploys one EIP-1167 clone of the collection implementation per issuer.
interface IVermilionFactory {
    /// @dev What a new collection starts with.
    struct CollectionParams {
        string name;
        string symbol;
        /// Holds the collection's admin role (pause, roles, contract URI).
        address admin;
        /// Holds the collection's issuer role (editions, minting, vouchers).
        address issuer;
        string contractURI;
    }

    /// @dev The implementation address given to the constructor has no code.
    error ImplementationHasNoCode(address implementation);

    /// @dev Emitted when `collection` was cloned and initialized for `issuer`.
    event CollectionCreated(
        address indexed collection,
        address indexed admin,
        address indexed issuer,
        string name,
        string symbol,
        bytes32 salt
    );

    /// @notice Clones and initializes a collection at an address determined by the caller and `salt`.
    function createCollection(CollectionParams calldata params, bytes32 salt) external returns (address collection);

    /// @notice The address `createCollection` would use for `deployer` and `salt`.
    function predictCollectionAddress(address deployer, bytes32 salt) external view returns (address);

    /// @notice Whether `collection` was created by this factory.
    function isCollection(address collection) external view returns (bool);

    /// @notice The collection implementation every clone delegates to.
    function implementation() external view returns (address);
}
