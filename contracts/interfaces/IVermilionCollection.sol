// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title Vermilion collection
 * @notice One ERC-721 contract per issuer, holding many numbered limited editions. Token ids encode
 * their edition and serial (`editionId * 1,000,000 + serial`); serials start at 1 and are contiguous.
 * Errors and events are documented here once.
 */
interface IVermilionCollection {
    /**
     * @dev How an edition's tokens may move between holders. Policies are ordered from strictest to
     * loosest (`Soulbound` > `Hold` > `Free`) and an issuer may only ever loosen them.
     */
    enum TransferPolicy {
        /// Transferable at any time.
        Free,
        /// Transferable once `holdSeconds` have passed since the holder acquired the token.
        Hold,
        /// Never transferable (holders may still burn).
        Soulbound
    }

    /// @dev What an issuer supplies to create an edition.
    struct EditionParams {
        uint32 maxSupply;
        /// CID of the UnixFS directory holding `<serial>.json` metadata documents.
        string metadataCid;
        /// CID of the primary media file.
        string mediaCid;
        /// Plain SHA-256 of the primary media file's bytes (what `sha256sum` prints).
        bytes32 contentSha256;
        address royaltyReceiver;
        uint16 royaltyBps;
        TransferPolicy transferPolicy;
        uint32 holdSeconds;
    }

    /// @dev Everything known about an edition, as returned by `edition(editionId)`.
    struct EditionView {
        uint256 editionId;
        uint256 maxSupply;
        uint256 mintedCount;
        uint256 burnedCount;
        bool isSealed;
        bool metadataFrozen;
        string metadataCid;
        string mediaCid;
        bytes32 contentSha256;
        address royaltyReceiver;
        uint256 royaltyBps;
        TransferPolicy transferPolicy;
        uint256 holdSeconds;
    }

    /// @dev A signed permission to mint `quantity` tokens of `editionId` to `to`, once (`nonce`), until `deadline`.
    struct MintVoucher {
        uint256 editionId;
        address to;
        uint256 quantity;
        uint256 nonce;
        uint256 deadline;
    }

    // ---------------------------------------------------------------- errors

    /// @dev `editionId` was never created.
    error EditionNotFound(uint256 editionId);
    /// @dev `editionId` is sealed: its last serial was minted or the issuer closed it.
    error EditionAlreadySealed(uint256 editionId);
    /// @dev Minting `requested` tokens of `editionId` would pass its max supply; `remaining` are left.
    error EditionSupplyExceeded(uint256 editionId, uint256 requested, uint256 remaining);
    /// @dev `maxSupply` is zero or above the 999,999 serials an edition can hold.
    error InvalidMaxSupply(uint256 maxSupply);
    /// @dev A mint of zero tokens, or an airdrop to no one.
    error InvalidQuantity(uint256 quantity);
    /// @dev A CID argument is empty or longer than 128 bytes.
    error InvalidCid(string cid);
    /// @dev The content commitment is zero.
    error InvalidContentSha256();
    /// @dev Royalty above 100% (10,000 bps), or a non-zero royalty without a receiver.
    error InvalidRoyalty(address receiver, uint256 royaltyBps);
    /// @dev `Hold` needs a non-zero `holdSeconds`; other policies need zero.
    error InvalidTransferPolicy(TransferPolicy policy, uint256 holdSeconds);
    /// @dev Policy changes may only loosen the current one.
    error TransferPolicyNotLooser(
        uint256 editionId,
        TransferPolicy currentPolicy,
        uint256 currentHoldSeconds,
        TransferPolicy requestedPolicy,
        uint256 requestedHoldSeconds
    );
    /// @dev `editionId`'s metadata is frozen forever.
    error MetadataIsFrozen(uint256 editionId);
    /// @dev `tokenId` cannot move before `unlocksAt` (`type(uint256).max` for a soulbound token).
    error TokenLocked(uint256 tokenId, uint256 unlocksAt);
    /// @dev The voucher's `deadline` passed (`nowTimestamp`).
    error VoucherExpired(uint256 deadline, uint256 nowTimestamp);
    /// @dev The voucher's `nonce` was already redeemed.
    error VoucherAlreadyRedeemed(uint256 nonce);
    /// @dev The voucher's nonce was cancelled by an issuer (`cancelVouchers`): it can never be redeemed.
    error VoucherNonceCancelled(uint256 nonce);
    /// @dev The voucher was signed by `signer`, who does not hold the issuer role.
    error VoucherSignerNotIssuer(address signer);
    /// @dev An address argument that must not be zero was zero.
    error ZeroAddress();
    /// @dev The collection is paused (same error as OpenZeppelin's Pausable).
    error EnforcedPause();
    /// @dev The collection is not paused (same error as OpenZeppelin's Pausable).
    error ExpectedPause();

    // ---------------------------------------------------------------- events

    /// @dev Emitted when an issuer created an edition.
    event EditionCreated(
        uint256 indexed editionId,
        uint256 maxSupply,
        string metadataCid,
        string mediaCid,
        bytes32 contentSha256,
        address royaltyReceiver,
        uint256 royaltyBps,
        TransferPolicy transferPolicy,
        uint256 holdSeconds
    );
    /// @dev Emitted when an edition was sealed, by minting its last serial or by `closeEdition` (`closedEarly`).
    event EditionSealed(uint256 indexed editionId, uint256 mintedCount, bool closedEarly);
    /// @dev Emitted when an edition's metadata directory changed (ERC-4906 `BatchMetadataUpdate` is emitted too).
    event EditionMetadataUpdated(uint256 indexed editionId, string metadataCid);
    /// @dev Emitted when an edition's metadata was frozen forever.
    event EditionMetadataFrozen(uint256 indexed editionId, string metadataCid);
    /// @dev Emitted when an issuer loosened an edition's transfer policy.
    event TransferPolicyUpdated(uint256 indexed editionId, TransferPolicy transferPolicy, uint256 holdSeconds);
    /// @dev Emitted when `holder`'s token was burned, with an application-defined `reasonCode`.
    event TokenBurned(uint256 indexed tokenId, address indexed holder, uint256 indexed reasonCode);
    /// @dev Emitted when a voucher signed by `signer` minted `quantity` tokens from `firstTokenId` to `to`.
    event VoucherRedeemed(
        uint256 indexed nonce,
        address indexed signer,
        address indexed to,
        uint256 editionId,
        uint256 firstTokenId,
        uint256 quantity
    );

    /// @dev Emitted when an issuer (`canceller`) cancelled the voucher nonce `nonce` before any redemption.
    event VoucherCancelled(uint256 indexed nonce, address indexed canceller);

    /// @dev Emitted when `account` paused minting, transfers and burns (same event as OpenZeppelin's Pausable).
    event Paused(address account);
    /// @dev Emitted when `account` resumed minting, transfers and burns.
    event Unpaused(address account);

    // ---------------------------------------------------------------- functions

    /// @notice Sets up a freshly cloned collection. Callable once, never on the implementation.
    function initialize(
        string calldata name_,
        string calldata symbol_,
        address admin,
        address issuer,
        string calldata contractURI_
    ) external;

    /// @notice Creates an edition and returns its id (ids start at 1). Issuer only.
    function createEdition(EditionParams calldata params) external returns (uint256 editionId);

    /// @notice Mints `quantity` consecutive serials of `editionId` to `to`. Issuer only.
    function mint(uint256 editionId, address to, uint256 quantity) external returns (uint256 firstTokenId);

    /// @notice Mints one serial of `editionId` to each of `recipients`, in order. Issuer only.
    function airdrop(uint256 editionId, address[] calldata recipients) external returns (uint256 firstTokenId);

    /// @notice Redeems a voucher signed (EIP-712) by an issuer. Anyone may submit it; tokens go to `voucher.to`.
    function redeem(MintVoucher calldata voucher, bytes calldata signature) external returns (uint256 firstTokenId);

    /// @notice Cancels voucher nonces so that no voucher carrying one can ever be redeemed. Issuer only,
    /// also while paused. A nonce already cancelled is skipped; one already redeemed reverts.
    function cancelVouchers(uint256[] calldata nonces) external;

    /// @notice Seals `editionId` before its max supply is reached. Issuer only.
    function closeEdition(uint256 editionId) external;

    /// @notice Points `editionId` at a new metadata directory. Issuer only, until frozen.
    function setEditionMetadata(uint256 editionId, string calldata metadataCid) external;

    /// @notice Freezes `editionId`'s metadata forever. Issuer only.
    function freezeEditionMetadata(uint256 editionId) external;

    /// @notice Loosens `editionId`'s transfer policy. Issuer only. Never locks a token that is unlocked.
    function loosenTransferPolicy(uint256 editionId, TransferPolicy policy, uint32 holdSeconds) external;

    /// @notice Burns `tokenId` (holder or approved), recording `reasonCode`.
    function burn(uint256 tokenId, uint256 reasonCode) external;

    /// @notice Sets the ERC-7572 contract metadata URI. Admin only.
    function setContractURI(string calldata contractURI_) external;

    /// @notice Stops minting, transfers and burns. Admin only.
    function pause() external;

    /// @notice Resumes minting, transfers and burns. Admin only.
    function unpause() external;

    /// @notice Whether minting, transfers and burns are paused.
    function paused() external view returns (bool);

    /// @notice The edition and serial of a minted (possibly burned) token.
    function editionOf(uint256 tokenId) external view returns (uint256 editionId, uint256 serial);

    /// @notice Everything about an edition.
    function edition(uint256 editionId) external view returns (EditionView memory);

    /// @notice Number of editions created so far (the highest edition id).
    function editionCount() external view returns (uint256);

    /// @notice Whether the voucher `nonce` was redeemed.
    function isVoucherRedeemed(uint256 nonce) external view returns (bool);

    /// @notice Whether the voucher `nonce` was cancelled (`cancelVouchers`) before any redemption.
    function isVoucherCancelled(uint256 nonce) external view returns (bool);

    /// @notice The EIP-712 digest an issuer signs for `voucher`.
    function voucherDigest(MintVoucher calldata voucher) external view returns (bytes32);

    /// @notice When `tokenId` can next be transferred: 0 if now, `type(uint256).max` if never.
    function unlocksAt(uint256 tokenId) external view returns (uint256);
}
