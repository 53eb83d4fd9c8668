// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

/**
 * @dev Test double for `onERC721Received`: accepts (recording the call), answers with the wrong value, or
 * reverts with a reason string, a custom error or no data, as chosen at deployment.
 */
contract ERC721ReceiverMock is IERC721Receiver {
    enum Behaviour {
        Accept,
        ReturnWrongValue,
        RevertWithReason,
        RevertWithCustomError,
        RevertWithoutData
    }

    /// @dev The custom error a rejecting receiver reverts with.
    error ReceiverRejected(uint256 tokenId);

    /// @dev Emitted when an accepting receiver was notified of `tokenId`.
    event Received(address operator, address from, uint256 tokenId, bytes data);

    Behaviour public immutable behaviour;

    constructor(Behaviour behaviour_) {
        behaviour = behaviour_;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(
        address operator,
        address from,
        uint256 tokenId,
        bytes calldata data
    ) external returns (bytes4) {
        if (behaviour == Behaviour.ReturnWrongValue) return 0xdeadbeef;
        if (behaviour == Behaviour.RevertWithReason) revert("ERC721ReceiverMock: rejected");
        if (behaviour == Behaviour.RevertWithCustomError) revert ReceiverRejected(tokenId);
        if (behaviour == Behaviour.RevertWithoutData) revert();
        emit Received(operator, from, tokenId, data);
        return IERC721Receiver.onERC721Received.selector;
    }
}
