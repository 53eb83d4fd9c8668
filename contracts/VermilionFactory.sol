// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {IVermilionCollection} from "./interfaces/IVermilionCollection.sol";
import {IVermilionFactory} from "./interfaces/IVermilionFactory.sol";

/**
 * @title VermilionFactory
 * @notice Deploys issuers' collections as EIP-1167 clones of one implementation and initializes them in
 * the same transaction, so no clone is ever left uninitialized for someone else to claim.
 * Only accounts with `DEPLOYER_ROLE` (the platform) create collections, so everything this factory made
 * is a collection the platform stands behind.
 */
contract VermilionFactory is IVermilionFactory, AccessControl {
    bytes32 public constant DEPLOYER_ROLE = keccak256("DEPLOYER_ROLE");

    /// @inheritdoc IVermilionFactory
    address public immutable implementation;

    mapping(address collection => bool) private _isCollection;

    constructor(address implementation_, address admin) {
        if (implementation_.code.length == 0) revert ImplementationHasNoCode(implementation_);
        implementation = implementation_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(DEPLOYER_ROLE, admin);
    }

    /**
     * @inheritdoc IVermilionFactory
     * @dev The clone's salt mixes in the caller, so one deployer cannot take another's address.
     * Emits a {CollectionCreated} event.
     */
    function createCollection(
        CollectionParams calldata params,
        bytes32 salt
    ) external onlyRole(DEPLOYER_ROLE) returns (address collection) {
        collection = Clones.cloneDeterministic(implementation, _cloneSalt(msg.sender, salt));
        _isCollection[collection] = true;
        IVermilionCollection(collection).initialize(
            params.name,
            params.symbol,
            params.admin,
            params.issuer,
            params.contractURI
        );
        emit CollectionCreated(collection, params.admin, params.issuer, params.name, params.symbol, salt);
    }

    /// @inheritdoc IVermilionFactory
    function predictCollectionAddress(address deployer, bytes32 salt) external view returns (address) {
        return Clones.predictDeterministicAddress(implementation, _cloneSalt(deployer, salt));
    }

    /// @inheritdoc IVermilionFactory
    function isCollection(address collection) external view returns (bool) {
        return _isCollection[collection];
    }

    function _cloneSalt(address deployer, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(deployer, salt));
    }
}
