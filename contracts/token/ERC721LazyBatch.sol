// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC165, IERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {OwnershipRecords} from "../libraries/OwnershipRecords.sol";

/**
 * @title ERC-721 with lazy batch ownership and a bitmap of batch heads
 * @dev A batch mint of `n` contiguous token ids writes one ownership record per 256-id word it touches
 * (normally one) and sets the head's bit in `_batchHeads`, instead of `n` owner slots. A token's owner is
 * then:
 *
 * 1. its own record in `_tokenRecords`, written when it was minted alone, approved, transferred or
 *    burned; or else
 * 2. the record of the nearest batch head at or below it in the same 256-id word (batches are split at
 *    word boundaries, so the head is always in the token's own word): one bitmap read and one record
 *    read, wherever the token sits in its batch, never a scan.
 *
 * Batch records live apart from token records, so transferring a batch head never disturbs the tokens
 * behind it and no transfer ever initialises a neighbour's slot (ERC721A does, which is what makes its
 * first transfers expensive).
 *
 * Every change of an existing token's owner (transfer or burn) goes through `_update`; the one hook
 * `_beforeUpdate` lets an extension veto it (pause, transfer policy) with the record already in hand.
 */
abstract contract ERC721LazyBatch is ERC165, IERC721, IERC721Metadata, IERC721Errors {
    using OwnershipRecords for uint256;

    mapping(uint256 tokenId => uint256 record) private _tokenRecords;
    mapping(uint256 headTokenId => uint256 record) private _batchRecords;
    mapping(uint256 wordIndex => uint256 bits) private _batchHeads;
    mapping(address owner => uint256) private _balances;
    mapping(uint256 tokenId => address) private _tokenApprovals;
    mapping(address owner => mapping(address operator => bool)) private _operatorApprovals;

    string private _name;
    string private _symbol;

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual override(ERC165, IERC165) returns (bool) {
        return
            interfaceId == type(IERC721).interfaceId ||
            interfaceId == type(IERC721Metadata).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) public view virtual returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _balances[owner];
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) public view virtual returns (address) {
        return _requireOwned(tokenId);
    }

    /// @inheritdoc IERC721Metadata
    function name() public view virtual returns (string memory) {
        return _name;
    }

    /// @inheritdoc IERC721Metadata
    function symbol() public view virtual returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc IERC721
    function approve(address to, uint256 tokenId) public virtual {
        uint256 record = _recordOf(tokenId);
        address owner = _liveOwner(record, tokenId);
        if (msg.sender != owner && !_operatorApprovals[owner][msg.sender]) {
            revert ERC721InvalidApprover(msg.sender);
        }
        // The APPROVED bit lets transfers skip the approval slot entirely for tokens never approved;
        // a lazily owned token gets its own record here (batch-only fields cleared).
        uint256 withFlag = (record & ~OwnershipRecords.BATCH_ONLY) | OwnershipRecords.APPROVED;
        if (withFlag != record) _tokenRecords[tokenId] = withFlag;
        _tokenApprovals[tokenId] = to;
        emit Approval(owner, to, tokenId);
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 tokenId) public view virtual returns (address) {
        _requireOwned(tokenId);
        return _tokenApprovals[tokenId];
    }

    /// @inheritdoc IERC721
    function setApprovalForAll(address operator, bool approved) public virtual {
        if (operator == address(0)) revert ERC721InvalidOperator(operator);
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address owner, address operator) public view virtual returns (bool) {
        return _operatorApprovals[owner][operator];
    }

    /// @inheritdoc IERC721
    function transferFrom(address from, address to, uint256 tokenId) public virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address previousOwner = _update(to, tokenId, msg.sender);
        if (previousOwner != from) revert ERC721IncorrectOwner(from, tokenId, previousOwner);
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId) public virtual {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public virtual {
        transferFrom(from, to, tokenId);
        ERC721Utils.checkOnERC721Received(msg.sender, from, to, tokenId, data);
    }

    // ------------------------------------------------------------------ internal

    function _initializeERC721(string memory name_, string memory symbol_) internal {
        _name = name_;
        _symbol = symbol_;
    }

    /**
     * @dev The record that decides `tokenId`'s ownership: its own, or its batch's (quantity bits set), or
     * zero when it was never minted.
     */
    function _recordOf(uint256 tokenId) internal view returns (uint256 record) {
        record = _tokenRecords[tokenId];
        if (record != 0) return record;
        uint256 wordIndex = tokenId >> 8;
        uint256 bitIndex = tokenId & 0xff;
        // Heads at or below the token in its word: bits 0..bitIndex.
        uint256 heads = _batchHeads[wordIndex] & (type(uint256).max >> (255 - bitIndex));
        if (heads == 0) return 0;
        uint256 headTokenId = (wordIndex << 8) | Math.log2(heads);
        record = _batchRecords[headTokenId];
        // The nearest head may belong to a batch that ends before the token (an unminted id).
        // tokenId >= headTokenId by construction of the mask, so the subtraction cannot underflow.
        unchecked {
            if (tokenId - headTokenId >= record.quantity()) return 0;
        }
    }

    /// @dev The owner of `tokenId`, or zero if it was never minted or was burned.
    function _ownerOf(uint256 tokenId) internal view returns (address) {
        uint256 record = _recordOf(tokenId);
        return record.has(OwnershipRecords.BURNED) ? address(0) : record.owner();
    }

    /// @dev The owner of `tokenId`; reverts with `ERC721NonexistentToken` if there is none.
    function _requireOwned(uint256 tokenId) internal view returns (address) {
        return _liveOwner(_recordOf(tokenId), tokenId);
    }

    function _liveOwner(uint256 record, uint256 tokenId) private pure returns (address owner) {
        owner = record.owner();
        if (owner == address(0) || record.has(OwnershipRecords.BURNED)) revert ERC721NonexistentToken(tokenId);
    }

    /**
     * @dev Moves `tokenId` to `to`, or burns it when `to` is zero, and returns its previous owner.
     *
     * Requirements:
     * - `tokenId` exists.
     * - `auth` is zero (no check), the owner, an operator of the owner, or the token's approved address.
     * - `_beforeUpdate` does not revert.
     *
     * Emits a {Transfer} event.
     */
    function _update(address to, uint256 tokenId, address auth) internal virtual returns (address from) {
        uint256 record = _recordOf(tokenId);
        from = _liveOwner(record, tokenId);
        bool hasApproval = record.has(OwnershipRecords.APPROVED);
        if (auth != address(0) && auth != from && !_operatorApprovals[from][auth]) {
            if (!hasApproval || _tokenApprovals[tokenId] != auth) revert ERC721InsufficientApproval(auth, tokenId);
        }
        _beforeUpdate(from, to, tokenId, record);

        if (hasApproval) delete _tokenApprovals[tokenId];
        uint256 keptFlags = record & OwnershipRecords.RESTRICTED;
        // A holder's balance is at least the token it holds, and no balance can reach 2**256.
        unchecked {
            _balances[from] -= 1;
            if (to != address(0)) {
                _balances[to] += 1;
                _tokenRecords[tokenId] = OwnershipRecords.create(to, block.timestamp, keptFlags);
            } else {
                // The burned record keeps its last holder, so history stays readable on-chain.
                _tokenRecords[tokenId] = OwnershipRecords.create(from, block.timestamp, keptFlags | OwnershipRecords.BURNED);
            }
        }
        emit Transfer(from, to, tokenId);
    }

    /**
     * @dev Called by `_update` before a transfer or burn, with the token's current ownership record.
     * Override to veto (revert) or react.
     */
    function _beforeUpdate(address from, address to, uint256 tokenId, uint256 record) internal virtual {}

    /**
     * @dev Mints `quantity` contiguous ids from `firstTokenId` to `to`, acquired now, with record `flags`.
     * A single token gets its own record; a batch gets one record per 256-id word it spans.
     *
     * Requirements:
     * - `to` is not zero; none of the ids exists (the caller allocates them); `quantity` is not zero.
     *
     * Emits a {Transfer} event per token.
     */
    function _mintContiguous(address to, uint256 firstTokenId, uint256 quantity, uint256 flags) internal {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        uint256 record = OwnershipRecords.create(to, block.timestamp, flags);
        // Ids are bounded by the caller's serial allocation (< 1e6 per edition), far from overflow.
        unchecked {
            uint256 end = firstTokenId + quantity;
            if (quantity == 1) {
                _tokenRecords[firstTokenId] = record;
            } else {
                uint256 head = firstTokenId;
                while (head < end) {
                    uint256 wordEnd = ((head >> 8) + 1) << 8;
                    uint256 batchEnd = end < wordEnd ? end : wordEnd;
                    _batchRecords[head] = record | ((batchEnd - head) << OwnershipRecords.QUANTITY_SHIFT);
                    _batchHeads[head >> 8] |= 1 << (head & 0xff);
                    head = batchEnd;
                }
            }
            _balances[to] += quantity;
            for (uint256 tokenId = firstTokenId; tokenId < end; ++tokenId) {
                emit Transfer(address(0), to, tokenId);
            }
        }
    }
}
