// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev KNOWN CONTRACT BUGS. Each test here states the documented behaviour and FAILS against the current
 * contracts; it should pass once the contract is fixed. Reported to the contracts owner; do not "fix" a
 * test here to match the code.
 */
contract KnownBugsTest is VermilionTestBase {
    /**
     * @dev `IVermilionCollection.unlocksAt` is documented as "When `tokenId` can next be transferred: 0 if
     * now, `type(uint256).max` if never". Under a Hold policy, once the hold has elapsed the token can be
     * transferred now, yet `unlocksAt` keeps returning the past unlock time (`acquiredAt + holdSeconds`)
     * instead of 0 (`_unlocksAt` never compares with `block.timestamp`; only `locked()` and the transfer
     * check do). Clients that read `unlocksAt() == 0` as "transferable" misreport every elapsed hold.
     */
    function test_unlocksAt_isZeroOnceHoldElapsed() public {
        uint256 editionId = _createEdition(collection, 10, IVermilionCollection.TransferPolicy.Hold, 1 days);
        uint256 tokenId = _mint(editionId, alice, 1);
        vm.warp(_now() + 2 days);
        vm.assertFalse(collection.locked(tokenId), "transferable now");

        vm.assertEq(collection.unlocksAt(tokenId), 0, "unlocksAt is 0 when the token can move now");
    }
}
