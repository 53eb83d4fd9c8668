// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

import {IVermilionCollection} from "../../interfaces/IVermilionCollection.sol";

/// @dev A contract holder that accepts every token and counts the callbacks it got.
contract AcceptingReceiver is IERC721Receiver {
    uint256 public received;

    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        ++received;
        return IERC721Receiver.onERC721Received.selector;
    }
}

/**
 * @dev A voucher recipient that, from inside `onERC721Received`, re-enters `redeem` with the vouchers it
 * was loaded with (one per callback, in order) and records what each attempt returned or reverted with,
 * so the outer redemption itself never fails because of them.
 */
contract ReentrantRedeemer is IERC721Receiver {
    struct Attempt {
        IVermilionCollection.MintVoucher voucher;
        bytes signature;
    }

    IVermilionCollection public immutable collection;
    Attempt[] private _pending;
    uint256 private _next;

    uint256 public callbacks;
    bool[] public attemptSucceeded;
    bytes[] private _attemptRevertData;

    constructor(IVermilionCollection collection_) {
        collection = collection_;
    }

    function load(IVermilionCollection.MintVoucher calldata voucher, bytes calldata signature) external {
        _pending.push(Attempt(voucher, signature));
    }

    function attemptCount() external view returns (uint256) {
        return attemptSucceeded.length;
    }

    function attemptRevertData(uint256 index) external view returns (bytes memory) {
        return _attemptRevertData[index];
    }

    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        ++callbacks;
        if (msg.sender == address(collection) && _next < _pending.length) {
            Attempt memory attempt = _pending[_next++];
            try collection.redeem(attempt.voucher, attempt.signature) {
                attemptSucceeded.push(true);
                _attemptRevertData.push("");
            } catch (bytes memory reason) {
                attemptSucceeded.push(false);
                _attemptRevertData.push(reason);
            }
        }
        return IERC721Receiver.onERC721Received.selector;
    }
}

/// @dev A contract with no `onERC721Received`: safe transfers and vouchers to it must fail.
contract NonReceiver {}
