// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {IVermilionFactory} from "../interfaces/IVermilionFactory.sol";
import {VermilionCollection} from "../VermilionCollection.sol";
import {VermilionFactory} from "../VermilionFactory.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/// @dev Clones are initialized once, by the factory, at the predicted address; the implementation never is.
contract VermilionFactoryTest is VermilionTestBase {
    function test_initialize_revertsOnInitializedClone() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        vm.prank(alice);
        collection.initialize("Hijack", "HJK", alice, alice, "");

        vm.assertTrue(collection.hasRole(collection.DEFAULT_ADMIN_ROLE(), admin), "admin kept");
        vm.assertFalse(collection.hasRole(collection.ISSUER_ROLE(), alice), "no new issuer");
    }

    function test_initialize_revertsOnImplementation() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        vm.prank(alice);
        implementation.initialize("Hijack", "HJK", alice, alice, "");
    }

    function test_initialize_revertsOnImplementationEvenForTheFactory() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        vm.prank(address(factory));
        implementation.initialize("Vermilion", "VMM", admin, issuer, "");
    }

    function test_createCollection_deploysInitializedCloneAtPredictedAddress() public {
        bytes32 salt = bytes32("museum two");
        address predicted = factory.predictCollectionAddress(address(this), salt);

        VermilionCollection created = _createCollection(salt);

        vm.assertEq(address(created), predicted, "predicted address");
        vm.assertTrue(factory.isCollection(predicted), "registered");
        vm.assertEq(created.name(), "Vermilion Museum", "name");
        vm.assertTrue(created.hasRole(created.ISSUER_ROLE(), issuer), "issuer role");
        vm.assertFalse(factory.isCollection(address(implementation)), "implementation is not a collection");
    }

    function test_createCollection_revertsWhenSaltReused() public {
        IVermilionFactory.CollectionParams memory params = _params(issuer);

        vm.expectRevert(abi.encodeWithSelector(Errors.FailedDeployment.selector));
        factory.createCollection(params, bytes32("vermilion"));
    }

    function test_createCollection_revertsWhenCallerNotDeployer() public {
        IVermilionFactory.CollectionParams memory params = _params(alice);

        _expectUnauthorized(alice, factory.DEPLOYER_ROLE());
        vm.prank(alice);
        factory.createCollection(params, bytes32("alice's"));
    }

    function test_createCollection_revertsWhenIssuerZero() public {
        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.ZeroAddress.selector));
        factory.createCollection(_params(address(0)), bytes32("no issuer"));
    }

    function test_createCollection_revertsWhenAdminZero() public {
        IVermilionFactory.CollectionParams memory params = _params(issuer);
        params.admin = address(0);

        vm.expectRevert(abi.encodeWithSelector(IVermilionCollection.ZeroAddress.selector));
        factory.createCollection(params, bytes32("no admin"));
    }

    function test_constructor_revertsWhenImplementationHasNoCode() public {
        vm.expectRevert(abi.encodeWithSelector(IVermilionFactory.ImplementationHasNoCode.selector, alice));
        new VermilionFactory(alice, address(this));
    }

    /// @dev Two deployers using the same salt get different addresses (the salt mixes in the caller), and
    /// neither clone can be re-initialized by anyone.
    function testFuzz_createCollection_saltBoundToDeployer(bytes32 salt, address other) public {
        vm.assume(other != address(this) && other != address(0));
        bytes32 deployerRole = factory.DEPLOYER_ROLE();
        factory.grantRole(deployerRole, other);

        address mine = factory.createCollection(_params(issuer), salt);
        vm.prank(other);
        address theirs = factory.createCollection(_params(issuer), salt);

        vm.assertTrue(mine != theirs, "distinct addresses");
        vm.assertEq(theirs, factory.predictCollectionAddress(other, salt), "predicted for the other deployer");
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        vm.prank(other);
        VermilionCollection(theirs).initialize("x", "x", other, other, "");
    }

    function _params(address issuer_) internal view returns (IVermilionFactory.CollectionParams memory) {
        return
            IVermilionFactory.CollectionParams({
                name: "Vermilion Museum",
                symbol: "VMM",
                admin: admin,
                issuer: issuer_,
                contractURI: ""
            });
    }
}
