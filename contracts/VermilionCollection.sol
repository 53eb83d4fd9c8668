// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IERC5192} from "./interfaces/IERC5192.sol";
import {IERC7572} from "./interfaces/IERC7572.sol";
import {IVermilionCollection} from "./interfaces/IVermilionCollection.sol";
import {OwnershipRecords} from "./libraries/OwnershipRecords.sol";
import {TokenIds} from "./libraries/TokenIds.sol";
import {ERC721LazyBatch} from "./token/ERC721LazyBatch.sol";

/**
 * @title VermilionCollection
 * @notice An issuer's collection of numbered limited editions. Deployed once as an implementation and
 * cloned (EIP-1167) per issuer by `VermilionFactory`.
 *
 * Token URIs are `ipfs://<metadataCid>/<serial>.json`, built from the edition's one directory CID, so no
 * per-token URI is stored. Royalties (ERC-2981), metadata updates (ERC-4906), lock state (ERC-5192) and
 * contract metadata (ERC-7572) are per edition or per collection as the standards ask.
 */
contract VermilionCollection is
    IVermilionCollection,
    ERC721LazyBatch,
    AccessControl,
    EIP712,
    Initializable,
    IERC2981,
    IERC4906,
    IERC5192,
    IERC7572
{
    using OwnershipRecords for uint256;
    using Strings for uint256;

    /// @notice Role allowed to create editions, mint, airdrop, sign vouchers and manage editions.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    /// @notice EIP-712 type of a mint voucher.
    bytes32 public constant MINT_VOUCHER_TYPEHASH =
        keccak256("MintVoucher(uint256 editionId,address to,uint256 quantity,uint256 nonce,uint256 deadline)");

    uint256 private constant MAX_CID_BYTES = 128;
    uint256 private constant PAUSED = 1 << 160;
    uint256 private constant ROYALTY_DENOMINATOR = 10_000;
    /// @dev A nonce's cancelled bit sits this far above its spent bit, in the upper half of the word.
    uint256 private constant CANCELLED_BIT_OFFSET = 128;

    /// @dev The first slot of an edition is everything minting and transfers read, packed into one word.
    struct Edition {
        uint32 maxSupply;
        uint32 mintedCount;
        uint32 burnedCount;
        uint32 holdSeconds;
        TransferPolicy transferPolicy;
        bool isSealed;
        bool metadataFrozen;
        uint16 royaltyBps;
        address royaltyReceiver;
        bytes32 contentSha256;
        string metadataCid;
        string mediaCid;
    }

    /**
     * @dev The word every mint and transfer reads: the pause flag (bit 160) and a primary issuer (bits
     * 0..159), an account known to hold `ISSUER_ROLE`, so the platform's minting key is authorized by the
     * same read that checks the pause instead of a second one in the role mapping. Kept in step with the
     * role by `_grantRole`/`_revokeRole`.
     */
    uint256 private _pausedAndPrimaryIssuer;
    mapping(uint256 editionId => Edition) private _editions;
    /// @dev Two bits per voucher nonce, 128 nonces a word: bit `nonce % 128` spent (redeemed or cancelled),
    /// bit `128 + nonce % 128` cancelled. One word read tells `redeem` both, and its spent test is the shift
    /// and mask of a one-bit map, so cancellation costs a redemption no extra gas (bench:gas measures it).
    mapping(uint256 nonceWord => uint256 bits) private _voucherNonces;
    uint256 private _editionCount;
    string private _contractURI;

    /// @dev Reverts unless the caller holds `ISSUER_ROLE` (AccessControl's error) and the collection is not paused.
    modifier onlyIssuerWhenNotPaused() {
        uint256 word = _pausedAndPrimaryIssuer;
        if (address(uint160(word)) != msg.sender) _checkRole(ISSUER_ROLE);
        if (word & PAUSED != 0) revert EnforcedPause();
        _;
    }

    /// @dev The implementation is never initialized: only its clones are.
    constructor() EIP712("Vermilion Collection", "1") {
        _disableInitializers();
    }

    /// @inheritdoc IVermilionCollection
    function initialize(
        string calldata name_,
        string calldata symbol_,
        address admin,
        address issuer,
        string calldata contractURI_
    ) external initializer {
        if (admin == address(0) || issuer == address(0)) revert ZeroAddress();
        _initializeERC721(name_, symbol_);
        _contractURI = contractURI_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ISSUER_ROLE, issuer);
    }

    // ------------------------------------------------------------------ editions

    /// @inheritdoc IVermilionCollection
    function createEdition(EditionParams calldata params) external onlyRole(ISSUER_ROLE) returns (uint256 editionId) {
        if (params.maxSupply == 0 || params.maxSupply > TokenIds.MAX_SERIAL) revert InvalidMaxSupply(params.maxSupply);
        _requireValidCid(params.metadataCid);
        _requireValidCid(params.mediaCid);
        if (params.contentSha256 == bytes32(0)) revert InvalidContentSha256();
        if (
            params.royaltyBps > ROYALTY_DENOMINATOR ||
            (params.royaltyBps != 0 && params.royaltyReceiver == address(0))
        ) revert InvalidRoyalty(params.royaltyReceiver, params.royaltyBps);
        if ((params.transferPolicy == TransferPolicy.Hold) != (params.holdSeconds != 0)) {
            revert InvalidTransferPolicy(params.transferPolicy, params.holdSeconds);
        }

        editionId = ++_editionCount;
        Edition storage e = _editions[editionId];
        e.maxSupply = params.maxSupply;
        e.holdSeconds = params.holdSeconds;
        e.transferPolicy = params.transferPolicy;
        e.royaltyBps = params.royaltyBps;
        e.royaltyReceiver = params.royaltyReceiver;
        e.contentSha256 = params.contentSha256;
        e.metadataCid = params.metadataCid;
        e.mediaCid = params.mediaCid;
        emit EditionCreated(
            editionId,
            params.maxSupply,
            params.metadataCid,
            params.mediaCid,
            params.contentSha256,
            params.royaltyReceiver,
            params.royaltyBps,
            params.transferPolicy,
            params.holdSeconds
        );
    }

    /// @inheritdoc IVermilionCollection
    function closeEdition(uint256 editionId) external onlyRole(ISSUER_ROLE) {
        Edition storage e = _existingEdition(editionId);
        if (e.isSealed) revert EditionAlreadySealed(editionId);
        e.isSealed = true;
        emit EditionSealed(editionId, e.mintedCount, true);
    }

    /// @inheritdoc IVermilionCollection
    function setEditionMetadata(uint256 editionId, string calldata metadataCid) external onlyRole(ISSUER_ROLE) {
        Edition storage e = _existingEdition(editionId);
        if (e.metadataFrozen) revert MetadataIsFrozen(editionId);
        _requireValidCid(metadataCid);
        e.metadataCid = metadataCid;
        emit EditionMetadataUpdated(editionId, metadataCid);
        emit BatchMetadataUpdate(TokenIds.encode(editionId, 1), TokenIds.encode(editionId, e.maxSupply));
    }

    /// @inheritdoc IVermilionCollection
    function freezeEditionMetadata(uint256 editionId) external onlyRole(ISSUER_ROLE) {
        Edition storage e = _existingEdition(editionId);
        if (e.metadataFrozen) revert MetadataIsFrozen(editionId);
        e.metadataFrozen = true;
        emit EditionMetadataFrozen(editionId, e.metadataCid);
    }

    /**
     * @inheritdoc IVermilionCollection
     * @dev Only loosening is accepted: `Soulbound` may become `Hold` or `Free`, `Hold` may shorten or become
     * `Free`. A collector's token is therefore never locked retroactively: whatever could move before the
     * change can still move after it. Locks are evaluated against the current policy, so a loosening takes
     * effect for every token at once (ERC-5192 `Unlocked` is not emitted per token; watch this event).
     *
     * Emits a {TransferPolicyUpdated} event.
     */
    function loosenTransferPolicy(
        uint256 editionId,
        TransferPolicy policy,
        uint32 holdSeconds
    ) external onlyRole(ISSUER_ROLE) {
        Edition storage e = _existingEdition(editionId);
        if ((policy == TransferPolicy.Hold) != (holdSeconds != 0)) revert InvalidTransferPolicy(policy, holdSeconds);
        TransferPolicy current = e.transferPolicy;
        uint256 currentHold = e.holdSeconds;
        bool looser = uint8(policy) < uint8(current) ||
            (policy == TransferPolicy.Hold && current == TransferPolicy.Hold && holdSeconds < currentHold);
        if (!looser) revert TransferPolicyNotLooser(editionId, current, currentHold, policy, holdSeconds);
        e.transferPolicy = policy;
        e.holdSeconds = holdSeconds;
        emit TransferPolicyUpdated(editionId, policy, holdSeconds);
    }

    // ------------------------------------------------------------------ minting

    /**
     * @inheritdoc IVermilionCollection
     * @dev Like OpenZeppelin's and ERC721A's `_mint`, this does not call `onERC721Received`: the issuer
     * picks the recipients. Vouchers, which collectors submit, do call it.
     *
     * Emits a {Transfer} event per token, and {EditionSealed} when the last serial is minted.
     */
    function mint(
        uint256 editionId,
        address to,
        uint256 quantity
    ) external onlyIssuerWhenNotPaused returns (uint256 firstTokenId) {
        uint256 acquisitionFlags;
        (firstTokenId, acquisitionFlags) = _allocateSerials(editionId, quantity);
        _mintContiguous(to, firstTokenId, quantity, acquisitionFlags);
        _emitLockedIfRestricted(firstTokenId, quantity, acquisitionFlags);
    }

    /**
     * @inheritdoc IVermilionCollection
     * @dev Emits a {Transfer} event per recipient, and {EditionSealed} when the last serial is minted.
     */
    function airdrop(
        uint256 editionId,
        address[] calldata recipients
    ) external onlyIssuerWhenNotPaused returns (uint256 firstTokenId) {
        uint256 count = recipients.length;
        uint256 acquisitionFlags;
        (firstTokenId, acquisitionFlags) = _allocateSerials(editionId, count);
        for (uint256 i = 0; i < count; ++i) {
            _mintContiguous(recipients[i], firstTokenId + i, 1, acquisitionFlags);
        }
        _emitLockedIfRestricted(firstTokenId, count, acquisitionFlags);
    }

    /**
     * @inheritdoc IVermilionCollection
     * @dev The digest binds chain id and this contract (EIP-712 domain), the recipient, the quantity, a
     * single-use nonce and a deadline: a voucher works once, here only, and only for `voucher.to`, so a
     * front-runner who copies it from the mempool only pays the gas for the rightful recipient.
     * `ECDSA.recover` refuses high-s (malleable) signatures; the nonce, not the signature bytes, is what is
     * spent, so no re-encoding of a signature redeems twice. State is final before `onERC721Received` runs,
     * so a reentrant receiver sees the nonce spent and the supply already counted.
     *
     * Emits {Transfer} per token, {VoucherRedeemed}, and {EditionSealed} when the last serial is minted.
     */
    function redeem(
        MintVoucher calldata voucher,
        bytes calldata signature
    ) external returns (uint256 firstTokenId) {
        _requireNotPaused();
        if (block.timestamp > voucher.deadline) revert VoucherExpired(voucher.deadline, block.timestamp);
        address signer = ECDSA.recoverCalldata(voucherDigest(voucher), signature);
        if (signer != address(uint160(_pausedAndPrimaryIssuer)) && !hasRole(ISSUER_ROLE, signer)) {
            revert VoucherSignerNotIssuer(signer);
        }
        _spendVoucherNonce(voucher.nonce);

        uint256 acquisitionFlags;
        (firstTokenId, acquisitionFlags) = _allocateSerials(voucher.editionId, voucher.quantity);
        _mintContiguous(voucher.to, firstTokenId, voucher.quantity, acquisitionFlags);
        _emitLockedIfRestricted(firstTokenId, voucher.quantity, acquisitionFlags);
        emit VoucherRedeemed(voucher.nonce, signer, voucher.to, voucher.editionId, firstTokenId, voucher.quantity);

        if (voucher.to.code.length != 0) {
            for (uint256 i = 0; i < voucher.quantity; ++i) {
                ERC721Utils.checkOnERC721Received(msg.sender, address(0), voucher.to, firstTokenId + i, "");
            }
        }
    }

    /// @inheritdoc IVermilionCollection
    function voucherDigest(MintVoucher calldata voucher) public view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        MINT_VOUCHER_TYPEHASH,
                        voucher.editionId,
                        voucher.to,
                        voucher.quantity,
                        voucher.nonce,
                        voucher.deadline
                    )
                )
            );
    }

    /// @inheritdoc IVermilionCollection
    function isVoucherRedeemed(uint256 nonce) public view returns (bool) {
        uint256 spentBit = 1 << (nonce & 0x7f);
        uint256 word = _voucherNonces[nonce >> 7];
        return word & spentBit != 0 && word & (spentBit << CANCELLED_BIT_OFFSET) == 0;
    }

    /// @inheritdoc IVermilionCollection
    function isVoucherCancelled(uint256 nonce) public view returns (bool) {
        return _voucherNonces[nonce >> 7] & (1 << ((nonce & 0x7f) + CANCELLED_BIT_OFFSET)) != 0;
    }

    /**
     * @inheritdoc IVermilionCollection
     * @dev Marks each nonce spent and cancelled, so `redeem` refuses it with {VoucherNonceCancelled}
     * whoever signed the voucher and whenever it is submitted. Allowed while paused: stopping a
     * mis-issued voucher must not wait for the collection to resume. Emits {VoucherCancelled} per nonce
     * newly cancelled.
     */
    function cancelVouchers(uint256[] calldata nonces) external onlyRole(ISSUER_ROLE) {
        for (uint256 i = 0; i < nonces.length; ++i) {
            uint256 nonce = nonces[i];
            uint256 spentBit = 1 << (nonce & 0x7f);
            uint256 word = _voucherNonces[nonce >> 7];
            if (word & spentBit != 0) {
                if (word & (spentBit << CANCELLED_BIT_OFFSET) == 0) revert VoucherAlreadyRedeemed(nonce);
                continue;
            }
            _voucherNonces[nonce >> 7] = word | spentBit | (spentBit << CANCELLED_BIT_OFFSET);
            emit VoucherCancelled(nonce, msg.sender);
        }
    }

    // ------------------------------------------------------------------ holders

    /**
     * @inheritdoc IVermilionCollection
     * @dev Allowed to the holder or an approved address whatever the transfer policy (a locked token may
     * be destroyed, not moved). Emits {Transfer} to zero and {TokenBurned}.
     */
    function burn(uint256 tokenId, uint256 reasonCode) external {
        address holder = _update(address(0), tokenId, msg.sender);
        (uint256 editionId, ) = TokenIds.decode(tokenId);
        // At most mintedCount (< 2**32) tokens of an edition can be burned.
        unchecked {
            ++_editions[editionId].burnedCount;
        }
        emit TokenBurned(tokenId, holder, reasonCode);
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc IVermilionCollection
    function setContractURI(string calldata contractURI_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _contractURI = contractURI_;
        emit ContractURIUpdated();
    }

    /// @inheritdoc IVermilionCollection
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireNotPaused();
        _pausedAndPrimaryIssuer |= PAUSED;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IVermilionCollection
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!paused()) revert ExpectedPause();
        _pausedAndPrimaryIssuer &= ~PAUSED;
        emit Unpaused(msg.sender);
    }

    /// @inheritdoc IVermilionCollection
    function paused() public view returns (bool) {
        return _pausedAndPrimaryIssuer & PAUSED != 0;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IVermilionCollection
    function editionOf(uint256 tokenId) public view returns (uint256 editionId, uint256 serial) {
        (editionId, serial) = TokenIds.decode(tokenId);
        if (serial == 0 || serial > _editions[editionId].mintedCount) revert ERC721NonexistentToken(tokenId);
    }

    /// @inheritdoc IVermilionCollection
    function edition(uint256 editionId) external view returns (EditionView memory) {
        Edition storage e = _existingEdition(editionId);
        return
            EditionView({
                editionId: editionId,
                maxSupply: e.maxSupply,
                mintedCount: e.mintedCount,
                burnedCount: e.burnedCount,
                isSealed: e.isSealed,
                metadataFrozen: e.metadataFrozen,
                metadataCid: e.metadataCid,
                mediaCid: e.mediaCid,
                contentSha256: e.contentSha256,
                royaltyReceiver: e.royaltyReceiver,
                royaltyBps: e.royaltyBps,
                transferPolicy: e.transferPolicy,
                holdSeconds: e.holdSeconds
            });
    }

    /// @inheritdoc IVermilionCollection
    function editionCount() external view returns (uint256) {
        return _editionCount;
    }

    /// @notice `ipfs://<metadataCid>/<serial>.json` for a live token.
    function tokenURI(uint256 tokenId) public view returns (string memory) {
        _requireOwned(tokenId);
        (uint256 editionId, uint256 serial) = TokenIds.decode(tokenId);
        return string.concat("ipfs://", _editions[editionId].metadataCid, "/", serial.toString(), ".json");
    }

    /// @inheritdoc IERC7572
    function contractURI() external view returns (string memory) {
        return _contractURI;
    }

    /// @inheritdoc IERC2981
    function royaltyInfo(
        uint256 tokenId,
        uint256 salePrice
    ) external view returns (address receiver, uint256 royaltyAmount) {
        (uint256 editionId, ) = TokenIds.decode(tokenId);
        Edition storage e = _editions[editionId];
        return (e.royaltyReceiver, (salePrice * e.royaltyBps) / ROYALTY_DENOMINATOR);
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        return unlocksAt(tokenId) > block.timestamp;
    }

    /// @inheritdoc IVermilionCollection
    function unlocksAt(uint256 tokenId) public view returns (uint256) {
        uint256 record = _recordOf(tokenId);
        if (record.owner() == address(0) || record.has(OwnershipRecords.BURNED)) {
            revert ERC721NonexistentToken(tokenId);
        }
        uint256 unlockTime = _unlocksAt(tokenId, record);
        return unlockTime > block.timestamp ? unlockTime : 0;
    }

    /// @inheritdoc IERC165
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC721LazyBatch, AccessControl, IERC165) returns (bool) {
        return
            interfaceId == type(IERC2981).interfaceId ||
            interfaceId == bytes4(0x49064906) || // ERC-4906
            interfaceId == type(IERC5192).interfaceId ||
            ERC721LazyBatch.supportsInterface(interfaceId) ||
            AccessControl.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------------ internal

    function _requireNotPaused() private view {
        if (_pausedAndPrimaryIssuer & PAUSED != 0) revert EnforcedPause();
    }

    /// @dev The first account granted `ISSUER_ROLE` while there is no primary issuer becomes it.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == ISSUER_ROLE && uint160(_pausedAndPrimaryIssuer) == 0) {
            _pausedAndPrimaryIssuer |= uint160(account);
        }
    }

    /// @dev Revoking the primary issuer's role clears it (the pause flag stays).
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        uint256 word = _pausedAndPrimaryIssuer;
        if (revoked && role == ISSUER_ROLE && address(uint160(word)) == account) {
            _pausedAndPrimaryIssuer = word & PAUSED;
        }
    }

    /**
     * @dev Pause and transfer policy, checked with the ownership record already in hand. A transfer under
     * a hold policy locks the token again for its new holder, so ERC-5192 `Locked` is emitted (just before
     * the `Transfer` of the same token).
     */
    function _beforeUpdate(address, address to, uint256 tokenId, uint256 record) internal override {
        _requireNotPaused();
        if (to == address(0) || !record.has(OwnershipRecords.RESTRICTED)) return;
        uint256 unlockTime = _unlocksAt(tokenId, record);
        if (unlockTime > block.timestamp) revert TokenLocked(tokenId, unlockTime);
        (uint256 editionId, ) = TokenIds.decode(tokenId);
        if (_editions[editionId].transferPolicy == TransferPolicy.Hold) emit Locked(tokenId);
    }

    /**
     * @dev When a token with `record` can move under its edition's current policy.
     * 1. Acquired under a free policy: now (policies only loosen, so it is still free).
     * 2. Soulbound now: never.
     * 3. Hold now: acquisition time plus the current hold.
     * 4. Free now: now.
     */
    function _unlocksAt(uint256 tokenId, uint256 record) private view returns (uint256) {
        if (!record.has(OwnershipRecords.RESTRICTED)) return 0;
        (uint256 editionId, ) = TokenIds.decode(tokenId);
        Edition storage e = _editions[editionId];
        TransferPolicy policy = e.transferPolicy;
        if (policy == TransferPolicy.Soulbound) return type(uint256).max;
        if (policy == TransferPolicy.Hold) return record.acquiredAt() + e.holdSeconds;
        return 0;
    }

    /**
     * @dev Reserves the next `quantity` serials of `editionId` and seals it when full. Returns the first
     * token id and the record flags of an acquisition under the edition's current policy.
     *
     * Requirements: the edition exists, is not sealed, and has `quantity` (> 0) serials left.
     */
    function _allocateSerials(
        uint256 editionId,
        uint256 quantity
    ) private returns (uint256 firstTokenId, uint256 acquisitionFlags) {
        Edition storage e = _editions[editionId];
        uint256 maxSupply = e.maxSupply;
        if (maxSupply == 0) revert EditionNotFound(editionId);
        if (e.isSealed) revert EditionAlreadySealed(editionId);
        if (quantity == 0) revert InvalidQuantity(0);
        uint256 minted = e.mintedCount;
        if (quantity > maxSupply - minted) revert EditionSupplyExceeded(editionId, quantity, maxSupply - minted);
        // minted + quantity <= maxSupply < 2**32, checked just above.
        unchecked {
            uint256 newMinted = minted + quantity;
            e.mintedCount = uint32(newMinted);
            if (newMinted == maxSupply) {
                e.isSealed = true;
                emit EditionSealed(editionId, newMinted, false);
            }
            firstTokenId = TokenIds.encode(editionId, minted + 1);
        }
        if (e.transferPolicy != TransferPolicy.Free) acquisitionFlags = OwnershipRecords.RESTRICTED;
    }

    function _emitLockedIfRestricted(uint256 firstTokenId, uint256 quantity, uint256 acquisitionFlags) private {
        if (acquisitionFlags == 0) return;
        for (uint256 i = 0; i < quantity; ++i) emit Locked(firstTokenId + i);
    }

    function _spendVoucherNonce(uint256 nonce) private {
        uint256 spentBit = 1 << (nonce & 0x7f);
        uint256 word = _voucherNonces[nonce >> 7];
        // A cancelled nonce is spent too, so the one test a redemption pays refuses both.
        if (word & spentBit != 0) {
            if (word & (spentBit << CANCELLED_BIT_OFFSET) != 0) revert VoucherNonceCancelled(nonce);
            revert VoucherAlreadyRedeemed(nonce);
        }
        _voucherNonces[nonce >> 7] = word | spentBit;
    }

    function _existingEdition(uint256 editionId) private view returns (Edition storage e) {
        e = _editions[editionId];
        if (e.maxSupply == 0) revert EditionNotFound(editionId);
    }

    function _requireValidCid(string calldata cid) private pure {
        uint256 length = bytes(cid).length;
        if (length == 0 || length > MAX_CID_BYTES) revert InvalidCid(cid);
    }
}
