// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IVermilionCollection} from "../interfaces/IVermilionCollection.sol";
import {VermilionCollection} from "../VermilionCollection.sol";
import {AcceptingReceiver} from "./utils/Receivers.sol";
import {Test, Vm} from "./utils/Vm.sol";
import {VermilionTestBase} from "./utils/VermilionTestBase.sol";

/**
 * @dev Stateful fuzzing: the runner calls random sequences of `CollectionHandler` actions (mint up to 600
 * at a time, airdrop, redeem, cancel voucher nonces, transfer by every path, approve, burn, change policy,
 * warp) and these
 * invariants are checked after every call. Three editions: Free (1,100, so batches span 256-id words),
 * Hold one day (600) and Soulbound (300).
 *
 * The handler is in this file on purpose: the runner only fuzzes contracts it has an artifact for, and
 * Hardhat writes artifacts for the files a run compiles as roots, so a handler in a file of its own makes
 * `hardhat test solidity <this file>` fail with "address does not have an associated contract".
 */
contract VermilionCollectionInvariantTest is VermilionTestBase {
    /// @dev forge-std's `StdInvariant.FuzzSelector`, which the runner reads from `targetSelectors()`.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    CollectionHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint256[3] memory editionIds;
        editionIds[0] = _createEdition(collection, 1_100, IVermilionCollection.TransferPolicy.Free, 0);
        editionIds[1] = _createEdition(collection, 600, IVermilionCollection.TransferPolicy.Hold, 1 days);
        editionIds[2] = _createEdition(collection, 300, IVermilionCollection.TransferPolicy.Soulbound, 0);
        handler = new CollectionHandler(collection, ISSUER_KEY, editionIds);
        vm.label(address(handler), "handler");
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = CollectionHandler.mint.selector;
        selectors[1] = CollectionHandler.airdrop.selector;
        selectors[2] = CollectionHandler.redeem.selector;
        selectors[3] = CollectionHandler.transfer.selector;
        selectors[4] = CollectionHandler.approve.selector;
        selectors[5] = CollectionHandler.setApprovalForAll.selector;
        selectors[6] = CollectionHandler.burn.selector;
        selectors[7] = CollectionHandler.changePolicy.selector;
        selectors[8] = CollectionHandler.warp.selector;
        selectors[9] = CollectionHandler.transferFreeToken.selector;
        selectors[10] = CollectionHandler.cancelVouchers.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// @dev Every call did what the ghost model predicted: over-mints, replays, locked transfers,
    /// unauthorized moves and policy tightenings were refused with their exact errors; everything else
    /// succeeded with the predicted first token id, cleared approval and new owner.
    function invariant_everyCallBehavedAsPredicted() public view {
        vm.assertEq(handler.violations(), 0, handler.firstViolation());
    }

    /**
     * @dev No redemption ever spent a cancelled nonce (the handler asks the collection whether the nonce was
     * cancelled before each redemption and counts successes that were), and every nonce the ghost cancelled
     * is still cancelled and unredeemed.
     */
    function invariant_noRedemptionSpendsACancelledNonce() public view {
        vm.assertEq(handler.cancelledNonceRedemptions(), 0, "a redemption spent a cancelled nonce");
        for (uint256 i = 0; i < handler.knownNonceCount(); ++i) {
            uint256 nonce = handler.knownNonceAt(i);
            if (handler.ghostNonceState(nonce) != handler.NONCE_CANCELLED()) continue;
            vm.assertTrue(collection.isVoucherCancelled(nonce), "a cancelled nonce is cancelled");
            vm.assertFalse(collection.isVoucherRedeemed(nonce), "a cancelled nonce is not redeemed");
        }
    }

    /**
     * @dev `isVoucherRedeemed` and `isVoucherCancelled` are never both true, and each is the ghost's, for
     * every nonce used so far and both its neighbours (across 128-nonce word edges, wrapping at 0 and 2^256-1).
     */
    function invariant_voucherNonceStatesAreExclusive() public view {
        for (uint256 i = 0; i < handler.knownNonceCount(); ++i) {
            uint256 nonce = handler.knownNonceAt(i);
            uint256[3] memory nearby;
            // Wrapping on purpose: the neighbours of 0 and 2^256-1 are each other.
            unchecked {
                nearby = [nonce - 1, nonce, nonce + 1];
            }
            for (uint256 j = 0; j < nearby.length; ++j) {
                bool redeemed = collection.isVoucherRedeemed(nearby[j]);
                bool cancelled = collection.isVoucherCancelled(nearby[j]);
                vm.assertFalse(redeemed && cancelled, "redeemed and cancelled at once");
                uint8 state = handler.ghostNonceState(nearby[j]);
                vm.assertEq(redeemed, state == handler.NONCE_REDEEMED(), "isVoucherRedeemed == ghost");
                vm.assertEq(cancelled, state == handler.NONCE_CANCELLED(), "isVoucherCancelled == ghost");
            }
        }
    }

    /// @dev No edition ever holds more than its max supply; it is sealed exactly when full.
    function invariant_supplyNeverExceedsMaxSupply() public view {
        for (uint256 i = 0; i < handler.editionCount(); ++i) {
            IVermilionCollection.EditionView memory view_ = collection.edition(handler.editionIdAt(i));
            vm.assertLe(view_.mintedCount, view_.maxSupply, "mintedCount <= maxSupply");
            vm.assertEq(view_.mintedCount, handler.ghostMinted(i), "mintedCount == ghost minted");
            vm.assertEq(view_.burnedCount, handler.ghostBurned(i), "burnedCount == ghost burned");
            vm.assertEq(view_.isSealed, view_.mintedCount == view_.maxSupply, "sealed exactly when full");
        }
    }

    /// @dev Σ balances over every possible holder = minted − burned, and each balance is the ghost's.
    function invariant_balancesSumToMintedMinusBurned() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i = 0; i < actors.length; ++i) {
            uint256 balance = collection.balanceOf(actors[i]);
            vm.assertEq(balance, handler.ghostBalance(actors[i]), "balance == ghost balance");
            sum += balance;
        }
        uint256 live;
        for (uint256 i = 0; i < handler.editionCount(); ++i) {
            IVermilionCollection.EditionView memory view_ = collection.edition(handler.editionIdAt(i));
            live += view_.mintedCount - view_.burnedCount;
        }
        vm.assertEq(sum, live, "sum of balances == minted - burned");
    }

    /**
     * @dev After every call, the tokens it touched (both ends of a minted batch and both sides of each
     * 256-id word boundary inside it; a moved, approved or burned token and its neighbours) match the
     * ghost: see `_assertTokenMatchesGhost`. The whole collection is swept in `afterInvariant`.
     */
    function invariant_touchedTokensMatchGhost() public view {
        uint256[] memory touched = handler.touchedTokens();
        for (uint256 i = 0; i < touched.length; ++i) _assertTokenMatchesGhost(touched[i]);
    }

    /**
     * @dev At the end of every run, every token id of every edition, from serial 0 to one past the last
     * minted serial, matches the ghost. (A sweep after every call would cost the suite a minute; the
     * touched-token invariant covers each call's effects.)
     */
    function afterInvariant() public view {
        for (uint256 i = 0; i < handler.editionCount(); ++i) {
            uint256 editionId = handler.editionIdAt(i);
            uint256 minted = collection.edition(editionId).mintedCount;
            for (uint256 serial = 0; serial <= minted + 1; ++serial) {
                _assertTokenMatchesGhost(_tokenId(editionId, serial));
            }
        }
    }

    /**
     * @dev Serials are contiguous: serial 0 and serials past mintedCount do not exist, every serial from 1
     * to mintedCount does, and `editionOf` inverts `editionId * 1e6 + serial`. A burned token has no owner;
     * a live token's owner, approved address and lock (with its unlock time) are the ghost's.
     */
    function _assertTokenMatchesGhost(uint256 tokenId) internal view {
        uint256 editionId = tokenId / SERIALS_PER_EDITION;
        uint256 serial = tokenId % SERIALS_PER_EDITION;
        uint256 minted = collection.edition(editionId).mintedCount;
        if (serial == 0 || serial > minted) {
            _assertNonexistent(tokenId);
            return;
        }
        (uint256 decodedEdition, uint256 decodedSerial) = collection.editionOf(tokenId);
        vm.assertEq(decodedEdition, editionId, "editionOf: edition");
        vm.assertEq(decodedSerial, serial, "editionOf: serial");
        (address owner, bool burned, address approved, uint256 unlocksAt) = handler.ghostToken(tokenId);
        if (burned) {
            _assertNonexistent(tokenId);
            return;
        }
        vm.assertEq(collection.ownerOf(tokenId), owner, "ownerOf == ghost owner");
        vm.assertEq(collection.getApproved(tokenId), approved, "getApproved == ghost approved");
        // Only a lock in force is compared exactly: see KnownBugs.t.sol for `unlocksAt` after a hold.
        bool lockedNow = unlocksAt > vm.getBlockTimestamp();
        vm.assertEq(collection.locked(tokenId), lockedNow, "locked == ghost lock");
        if (lockedNow) vm.assertEq(collection.unlocksAt(tokenId), unlocksAt, "unlocksAt == ghost unlock time");
    }

    /// @dev `ownerOf` refuses `tokenId` as nonexistent (burned, or past the last minted serial).
    function _assertNonexistent(uint256 tokenId) internal view {
        try collection.ownerOf(tokenId) returns (address owner) {
            vm.assertEq(owner, address(0), "a burned or unminted token has an owner");
        } catch (bytes memory reason) {
            vm.assertEq(
                keccak256(reason),
                keccak256(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId)),
                "ownerOf of a burned or unminted token reverts as nonexistent"
            );
        }
    }
}

/**
 * @dev What the invariant runner calls: mints, airdrops, voucher redemptions, transfers by every path and
 * caller, approvals, burns, policy changes and the passage of time, by several actors over three editions
 * (Free, Hold, Soulbound). Every action predicts its outcome from ghost state (who owns what, since when,
 * approvals, policies) and records a violation when the collection does otherwise: a call that should
 * revert succeeds, reverts with another error, or succeeds with other effects.
 */
contract CollectionHandler is Test {
    uint256 internal constant SERIALS_PER_EDITION = 1_000_000;
    uint256 internal constant EDITIONS = 3;
    uint256 internal constant MAX_BATCH = 600;

    VermilionCollection public collection;
    uint256 internal _issuerKey;
    address internal _issuer;

    address[] internal _actors;
    uint256[EDITIONS] internal _editionIds;
    uint256[EDITIONS] internal _maxSupply;

    // ------------------------------------------------------------------ ghost state

    uint256[EDITIONS] public ghostMinted;
    uint256[EDITIONS] public ghostBurned;
    IVermilionCollection.TransferPolicy[EDITIONS] internal _ghostPolicy;
    uint256[EDITIONS] internal _ghostHold;
    mapping(uint256 tokenId => address) public ghostOwnerOf;
    mapping(uint256 tokenId => bool) public ghostIsBurned;
    mapping(uint256 tokenId => address) public ghostApproved;
    mapping(uint256 tokenId => uint256) internal _ghostAcquiredAt;
    mapping(uint256 tokenId => bool) internal _ghostRestricted;
    mapping(address owner => mapping(address operator => bool)) internal _ghostOperator;
    mapping(address actor => uint256) public ghostBalance;
    uint256 internal _nextNonce = 1;

    uint8 public constant NONCE_REDEEMED = 1;
    uint8 public constant NONCE_CANCELLED = 2;
    /// @dev 0 never used, NONCE_REDEEMED or NONCE_CANCELLED.
    mapping(uint256 nonce => uint8) public ghostNonceState;
    /// @dev Every nonce redeemed or cancelled so far, for the invariants to sweep.
    uint256[] internal _knownNonces;
    /// @dev Redemptions that succeeded although the collection reported the nonce cancelled just before.
    uint256 public cancelledNonceRedemptions;

    /// @dev Tokens the last action minted, moved, approved or burned, with their neighbours and the word
    /// boundaries inside a minted batch: the invariants re-check these after every call.
    uint256[] internal _touched;

    uint256 public violations;
    string public firstViolation;
    mapping(bytes32 action => uint256) public calls;

    constructor(VermilionCollection collection_, uint256 issuerKey, uint256[EDITIONS] memory editionIds) {
        collection = collection_;
        _issuerKey = issuerKey;
        _issuer = vm.addr(issuerKey);
        for (uint256 i = 0; i < EDITIONS; ++i) {
            _editionIds[i] = editionIds[i];
            IVermilionCollection.EditionView memory view_ = collection_.edition(editionIds[i]);
            _maxSupply[i] = view_.maxSupply;
            _ghostPolicy[i] = view_.transferPolicy;
            _ghostHold[i] = view_.holdSeconds;
        }
        _actors.push(address(0xA11));
        _actors.push(address(0xB22));
        _actors.push(address(0xC33));
        _actors.push(address(0xD44));
        _actors.push(address(new AcceptingReceiver()));
    }

    /// @dev Every action starts with an empty set of touched tokens.
    modifier action() {
        delete _touched;
        _;
    }

    // ------------------------------------------------------------------ views for the invariants

    function touchedTokens() external view returns (uint256[] memory) {
        return _touched;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function editionIdAt(uint256 index) external view returns (uint256) {
        return _editionIds[index];
    }

    function editionCount() external pure returns (uint256) {
        return EDITIONS;
    }

    function knownNonceCount() external view returns (uint256) {
        return _knownNonces.length;
    }

    function knownNonceAt(uint256 index) external view returns (uint256) {
        return _knownNonces[index];
    }

    // ------------------------------------------------------------------ minting

    /**
     * @dev Issuer batch mint; half the time the quantity is cut to what is left, so editions fill up, and
     * one time in three it is a large batch of 300-600 that spans two or three 256-id words.
     */
    function mint(uint256 editionSeed, uint256 actorSeed, uint256 quantitySeed) external action {
        uint256 index = _edition(editionSeed);
        address to = _actor(actorSeed);
        uint256 quantity = _quantity(index, quantitySeed, MAX_BATCH);
        if ((quantitySeed >> 128) % 3 == 0 && quantity < 300) quantity = 300 + quantity % (MAX_BATCH - 299);
        (bytes memory expected, uint256 expectedFirst) = _expectedAllocation(index, quantity);
        _touchRange(expectedFirst, quantity);

        vm.prank(_issuer);
        (bool ok, bytes memory ret) = address(collection).call(
            abi.encodeCall(IVermilionCollection.mint, (_editionIds[index], to, quantity))
        );
        ++calls["mint"];
        if (!_outcomeIs(ok, ret, expected, "mint")) return;
        if (ok) {
            _check(abi.decode(ret, (uint256)) == expectedFirst, "mint: first token id is not the next serial");
            for (uint256 i = 0; i < quantity; ++i) _ghostMint(index, expectedFirst + i, to);
        }
    }

    /// @dev Issuer airdrop to a list of actors (repeats allowed).
    function airdrop(uint256 editionSeed, uint256 recipientsSeed, uint256 countSeed) external action {
        uint256 index = _edition(editionSeed);
        uint256 count = _quantity(index, countSeed, 24);
        address[] memory recipients = new address[](count);
        for (uint256 i = 0; i < count; ++i) recipients[i] = _actor(uint256(keccak256(abi.encode(recipientsSeed, i))));
        (bytes memory expected, uint256 expectedFirst) = _expectedAllocation(index, count);
        _touchRange(expectedFirst, count);

        vm.prank(_issuer);
        (bool ok, bytes memory ret) = address(collection).call(
            abi.encodeCall(IVermilionCollection.airdrop, (_editionIds[index], recipients))
        );
        ++calls["airdrop"];
        if (!_outcomeIs(ok, ret, expected, "airdrop")) return;
        if (ok) {
            _check(abi.decode(ret, (uint256)) == expectedFirst, "airdrop: first token id is not the next serial");
            for (uint256 i = 0; i < count; ++i) _ghostMint(index, expectedFirst + i, recipients[i]);
        }
    }

    /// @dev A voucher for an actor, submitted by any actor (front-running included); its nonce is fresh, a
    /// word edge, or one already redeemed or cancelled, which must fail whatever else the voucher asks for.
    function redeem(
        uint256 editionSeed,
        uint256 actorSeed,
        uint256 quantitySeed,
        uint256 submitterSeed
    ) external action {
        uint256 index = _edition(editionSeed);
        IVermilionCollection.MintVoucher memory voucher = IVermilionCollection.MintVoucher({
            editionId: _editionIds[index],
            to: _actor(actorSeed),
            quantity: _quantity(index, quantitySeed, 64),
            nonce: _pickNonce(submitterSeed >> 128),
            deadline: vm.getBlockTimestamp() + 1 hours
        });
        uint8 nonceState = ghostNonceState[voucher.nonce];
        bytes memory expected;
        uint256 expectedFirst;
        if (nonceState == NONCE_REDEEMED) {
            expected = abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, voucher.nonce);
        } else if (nonceState == NONCE_CANCELLED) {
            expected = abi.encodeWithSelector(IVermilionCollection.VoucherNonceCancelled.selector, voucher.nonce);
        } else {
            (expected, expectedFirst) = _expectedAllocation(index, voucher.quantity);
            _touchRange(expectedFirst, voucher.quantity);
        }
        ++calls[nonceState == NONCE_CANCELLED ? bytes32("redeem cancelled") : nonceState == NONCE_REDEEMED ? bytes32("redeem replay") : bytes32("redeem")];
        _submitVoucher(index, voucher, _actor(submitterSeed >> 16), expected, expectedFirst);
    }

    /// @dev Submits `voucher` from `submitter` and checks the outcome against `expected` (see `redeem`).
    function _submitVoucher(
        uint256 index,
        IVermilionCollection.MintVoucher memory voucher,
        address submitter,
        bytes memory expected,
        uint256 expectedFirst
    ) internal {
        bytes memory signature = _signVoucher(voucher);
        uint256 submitterBalanceBefore = collection.balanceOf(submitter);
        bool cancelledBefore = collection.isVoucherCancelled(voucher.nonce);

        vm.prank(submitter);
        (bool ok, bytes memory ret) = address(collection).call(
            abi.encodeCall(IVermilionCollection.redeem, (voucher, signature))
        );
        if (ok && cancelledBefore) ++cancelledNonceRedemptions;
        if (!_outcomeIs(ok, ret, expected, "redeem")) return;
        if (ok) {
            _recordNonce(voucher.nonce, NONCE_REDEEMED);
            _check(abi.decode(ret, (uint256)) == expectedFirst, "redeem: first token id is not the next serial");
            for (uint256 i = 0; i < voucher.quantity; ++i) _ghostMint(index, expectedFirst + i, voucher.to);
            if (submitter != voucher.to) {
                _check(collection.balanceOf(submitter) == submitterBalanceBefore, "redeem: submitter got tokens");
            }
        }
    }

    /**
     * @dev Cancels one to four nonces (fresh, repeated, word edges, already cancelled or redeemed), mostly as
     * the issuer, sometimes as an actor without the issuing role. Expected outcome: 1. no role:
     * AccessControlUnauthorizedAccount; 2. a redeemed nonce anywhere in the list: VoucherAlreadyRedeemed
     * for the first one, nothing cancelled; 3. else every fresh nonce is cancelled with one
     * VoucherCancelled each, and nonces already cancelled (or repeated) are skipped silently.
     */
    function cancelVouchers(uint256 nonceSeed, uint256 countSeed, uint256 callerSeed) external action {
        uint256[] memory nonces = new uint256[](1 + countSeed % 4);
        for (uint256 i = 0; i < nonces.length; ++i) nonces[i] = _pickNonce(uint256(keccak256(abi.encode(nonceSeed, i))));
        address caller = callerSeed % 6 == 0 ? _actor(callerSeed >> 8) : _issuer;
        bytes memory expected;
        uint256[] memory newlyCancelled = new uint256[](nonces.length);
        uint256 newCount;
        if (caller != _issuer) {
            expected = abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                collection.ISSUER_ROLE()
            );
        } else {
            for (uint256 i = 0; i < nonces.length; ++i) {
                uint8 state = ghostNonceState[nonces[i]];
                if (state == NONCE_REDEEMED) {
                    expected = abi.encodeWithSelector(IVermilionCollection.VoucherAlreadyRedeemed.selector, nonces[i]);
                    break;
                }
                if (state == 0 && !_contains(newlyCancelled, newCount, nonces[i])) newlyCancelled[newCount++] = nonces[i];
            }
        }

        vm.recordLogs();
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(collection).call(abi.encodeCall(IVermilionCollection.cancelVouchers, (nonces)));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        ++calls[expected.length == 0 ? bytes32("cancelVouchers") : bytes32("cancelVouchers refused")];
        if (!_outcomeIs(ok, ret, expected, "cancelVouchers")) return;
        if (ok) {
            _check(logs.length == newCount, "cancelVouchers: not one VoucherCancelled per newly cancelled nonce");
            for (uint256 i = 0; i < logs.length && i < newCount; ++i) {
                _check(
                    logs[i].topics[0] == IVermilionCollection.VoucherCancelled.selector &&
                        uint256(logs[i].topics[1]) == newlyCancelled[i] &&
                        address(uint160(uint256(logs[i].topics[2]))) == _issuer,
                    "cancelVouchers: VoucherCancelled names another nonce or canceller"
                );
            }
            for (uint256 i = 0; i < newCount; ++i) _recordNonce(newlyCancelled[i], NONCE_CANCELLED);
        }
    }

    /**
     * @dev A voucher nonce: half the time the next unused small one, else one already redeemed or cancelled,
     * a 128-nonce word edge (127, 128, 255, 256, 2^255, 2^256-1) or any value.
     */
    function _pickNonce(uint256 seed) internal view returns (uint256) {
        uint256 kind = seed % 8;
        if (kind == 4 && _knownNonces.length > 0) return _knownNonces[(seed >> 8) % _knownNonces.length];
        if (kind == 5) {
            uint256[6] memory edges = [uint256(127), 128, 255, 256, 1 << 255, type(uint256).max];
            return edges[(seed >> 8) % edges.length];
        }
        if (kind == 6) return seed >> 8;
        return _nextNonce;
    }

    function _recordNonce(uint256 nonce, uint8 state) internal {
        ghostNonceState[nonce] = state;
        _knownNonces.push(nonce);
        while (ghostNonceState[_nextNonce] != 0) ++_nextNonce;
    }

    function _contains(uint256[] memory values, uint256 length, uint256 value) internal pure returns (bool) {
        for (uint256 i = 0; i < length; ++i) if (values[i] == value) return true;
        return false;
    }

    function _signVoucher(IVermilionCollection.MintVoucher memory voucher) private returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_issuerKey, collection.voucherDigest(voucher));
        return abi.encodePacked(r, s, v);
    }

    // ------------------------------------------------------------------ holders

    /**
     * @dev Moves a token by one of the three transfer functions, called by its owner, its approved address,
     * an operator of the owner or anyone. Expected outcome, in the collection's order of checks:
     * 1. burned: nonexistent; 2. caller not authorized: insufficient approval; 3. locked under the
     * edition's current policy: TokenLocked with the unlock time; 4. wrong `from`: incorrect owner;
     * 5. else it moves, its approval is cleared and (Hold) its hold restarts.
     */
    function transfer(uint256 tokenSeed, uint256 toSeed, uint256 callerSeed, uint256 pathSeed) external action {
        (bool found, uint256 index, uint256 tokenId) = _pickToken(tokenSeed);
        if (!found) return;
        _touchAround(tokenId);
        address owner = ghostOwnerOf[tokenId];
        address caller = _caller(tokenId, owner, callerSeed);
        address from = pathSeed % 11 == 0 ? _actor(pathSeed >> 8) : owner;
        _transfer(index, tokenId, owner, from, _actor(toSeed), caller, pathSeed);
    }

    /// @dev A holder moves one of its own tokens of the Free edition: the common case, so that ownership
    /// gets fragmented inside batches and across word boundaries.
    function transferFreeToken(uint256 tokenSeed, uint256 toSeed, uint256 pathSeed) external action {
        (bool found, uint256 index, uint256 tokenId) = _pickToken(tokenSeed - (tokenSeed % 5));
        if (!found) return;
        _touchAround(tokenId);
        address owner = ghostOwnerOf[tokenId];
        if (owner == address(0)) return;
        _transfer(index, tokenId, owner, owner, _actor(toSeed), owner, pathSeed);
    }

    function _transfer(
        uint256 index,
        uint256 tokenId,
        address owner,
        address from,
        address to,
        address caller,
        uint256 pathSeed
    ) internal {

        bytes memory expected;
        if (ghostIsBurned[tokenId]) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId);
        } else if (!_authorized(tokenId, owner, caller)) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, caller, tokenId);
        } else if (_expectedUnlocksAt(index, tokenId) > vm.getBlockTimestamp()) {
            expected = abi.encodeWithSelector(
                IVermilionCollection.TokenLocked.selector,
                tokenId,
                _expectedUnlocksAt(index, tokenId)
            );
        } else if (from != owner) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721IncorrectOwner.selector, from, tokenId, owner);
        }

        bytes memory data;
        uint256 path = pathSeed % 3;
        if (path == 0) {
            data = abi.encodeWithSignature("transferFrom(address,address,uint256)", from, to, tokenId);
        } else if (path == 1) {
            data = abi.encodeWithSignature("safeTransferFrom(address,address,uint256)", from, to, tokenId);
        } else {
            data = abi.encodeWithSignature("safeTransferFrom(address,address,uint256,bytes)", from, to, tokenId, "x");
        }
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(collection).call(data);
        ++calls[expected.length == 0 ? bytes32("transfer") : bytes32("transfer refused")];
        if (!_outcomeIs(ok, ret, expected, "transfer")) return;
        if (ok) {
            --ghostBalance[owner];
            ++ghostBalance[to];
            ghostOwnerOf[tokenId] = to;
            ghostApproved[tokenId] = address(0);
            _ghostAcquiredAt[tokenId] = vm.getBlockTimestamp();
            _check(collection.getApproved(tokenId) == address(0), "transfer: approval not cleared");
            _check(collection.ownerOf(tokenId) == to, "transfer: token not at its new owner");
        }
    }

    /// @dev The owner, an operator or anyone approves an actor (or clears with zero).
    function approve(uint256 tokenSeed, uint256 approvedSeed, uint256 callerSeed) external action {
        (bool found, , uint256 tokenId) = _pickToken(tokenSeed);
        if (!found) return;
        _touchAround(tokenId);
        address owner = ghostOwnerOf[tokenId];
        address approved = approvedSeed % 6 == 0 ? address(0) : _actor(approvedSeed);
        address caller = callerSeed % 3 == 0 ? _actor(callerSeed >> 8) : owner;
        bytes memory expected;
        if (ghostIsBurned[tokenId]) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId);
        } else if (caller != owner && !_ghostOperator[owner][caller]) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721InvalidApprover.selector, caller);
        }

        vm.prank(caller);
        (bool ok, bytes memory ret) = address(collection).call(abi.encodeCall(collection.approve, (approved, tokenId)));
        ++calls["approve"];
        if (!_outcomeIs(ok, ret, expected, "approve")) return;
        if (ok) ghostApproved[tokenId] = approved;
    }

    function setApprovalForAll(uint256 ownerSeed, uint256 operatorSeed, bool approved) external action {
        address owner = _actor(ownerSeed);
        address operator = _actor(operatorSeed);
        vm.prank(owner);
        collection.setApprovalForAll(operator, approved);
        _ghostOperator[owner][operator] = approved;
        ++calls["setApprovalForAll"];
    }

    /// @dev Burns are allowed to the owner, approved address or operator whatever the transfer policy.
    function burn(uint256 tokenSeed, uint256 callerSeed, uint256 reasonCode) external action {
        (bool found, uint256 index, uint256 tokenId) = _pickToken(tokenSeed);
        if (!found) return;
        _touchAround(tokenId);
        address owner = ghostOwnerOf[tokenId];
        address caller = _caller(tokenId, owner, callerSeed);
        bytes memory expected;
        if (ghostIsBurned[tokenId]) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId);
        } else if (!_authorized(tokenId, owner, caller)) {
            expected = abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, caller, tokenId);
        }

        vm.prank(caller);
        (bool ok, bytes memory ret) = address(collection).call(
            abi.encodeCall(IVermilionCollection.burn, (tokenId, reasonCode))
        );
        ++calls["burn"];
        if (!_outcomeIs(ok, ret, expected, "burn")) return;
        if (ok) {
            --ghostBalance[owner];
            ghostIsBurned[tokenId] = true;
            ghostOwnerOf[tokenId] = address(0);
            ghostApproved[tokenId] = address(0);
            ++ghostBurned[index];
        }
    }

    // ------------------------------------------------------------------ issuer and time

    /// @dev Any policy change is asked for; only loosenings may succeed.
    function changePolicy(uint256 editionSeed, uint256 policySeed, uint256 holdSeed) external action {
        uint256 index = editionSeed % EDITIONS;
        IVermilionCollection.TransferPolicy policy = IVermilionCollection.TransferPolicy(policySeed % 3);
        uint32 hold = policy == IVermilionCollection.TransferPolicy.Hold ? uint32(bound(holdSeed, 1, 3 days)) : 0;
        IVermilionCollection.TransferPolicy current = _ghostPolicy[index];
        bool looser = uint8(policy) < uint8(current) ||
            (policy == IVermilionCollection.TransferPolicy.Hold &&
                current == IVermilionCollection.TransferPolicy.Hold &&
                hold < _ghostHold[index]);
        bytes memory expected;
        if (!looser) {
            expected = abi.encodeWithSelector(
                IVermilionCollection.TransferPolicyNotLooser.selector,
                _editionIds[index],
                current,
                _ghostHold[index],
                policy,
                hold
            );
        }

        vm.prank(_issuer);
        (bool ok, bytes memory ret) = address(collection).call(
            abi.encodeCall(IVermilionCollection.loosenTransferPolicy, (_editionIds[index], policy, hold))
        );
        ++calls[looser ? bytes32("loosen") : bytes32("tighten refused")];
        if (!_outcomeIs(ok, ret, expected, "changePolicy")) return;
        if (ok) {
            _ghostPolicy[index] = policy;
            _ghostHold[index] = hold;
        }
    }

    function warp(uint256 secondsSeed) external action {
        vm.warp(vm.getBlockTimestamp() + bound(secondsSeed, 1, 2 days));
        ++calls["warp"];
    }

    // ------------------------------------------------------------------ expectations

    /// @dev Everything the ghost knows of `tokenId`, in one call (the invariants sweep every token).
    function ghostToken(uint256 tokenId)
        external
        view
        returns (address owner, bool burned, address approved, uint256 unlocksAt)
    {
        uint256 index = tokenId / SERIALS_PER_EDITION - _editionIds[0];
        owner = ghostOwnerOf[tokenId];
        burned = ghostIsBurned[tokenId];
        approved = ghostApproved[tokenId];
        unlocksAt = _expectedUnlocksAt(index, tokenId);
    }

    function _expectedUnlocksAt(uint256 index, uint256 tokenId) internal view returns (uint256) {
        if (!_ghostRestricted[tokenId]) return 0;
        IVermilionCollection.TransferPolicy policy = _ghostPolicy[index];
        if (policy == IVermilionCollection.TransferPolicy.Soulbound) return type(uint256).max;
        if (policy == IVermilionCollection.TransferPolicy.Hold) return _ghostAcquiredAt[tokenId] + _ghostHold[index];
        return 0;
    }

    /// @dev The error a mint of `quantity` must fail with (empty if it must succeed) and its first token id.
    function _expectedAllocation(uint256 index, uint256 quantity)
        internal
        view
        returns (bytes memory expected, uint256 firstTokenId)
    {
        uint256 remaining = _maxSupply[index] - ghostMinted[index];
        if (remaining == 0) {
            expected = abi.encodeWithSelector(IVermilionCollection.EditionAlreadySealed.selector, _editionIds[index]);
        } else if (quantity > remaining) {
            expected = abi.encodeWithSelector(
                IVermilionCollection.EditionSupplyExceeded.selector,
                _editionIds[index],
                quantity,
                remaining
            );
        }
        firstTokenId = _editionIds[index] * SERIALS_PER_EDITION + ghostMinted[index] + 1;
    }

    function _touchAround(uint256 tokenId) internal {
        _touched.push(tokenId - 1);
        _touched.push(tokenId);
        _touched.push(tokenId + 1);
    }

    /// @dev The ends of `[firstTokenId, firstTokenId + count)`, one past each end, and both sides of every
    /// 256-id word boundary inside it.
    function _touchRange(uint256 firstTokenId, uint256 count) internal {
        uint256 end = firstTokenId + count;
        _touched.push(firstTokenId - 1);
        _touched.push(firstTokenId);
        _touched.push(end - 1);
        _touched.push(end);
        for (uint256 boundary = ((firstTokenId >> 8) + 1) << 8; boundary < end; boundary += 256) {
            _touched.push(boundary - 1);
            _touched.push(boundary);
        }
    }

    function _ghostMint(uint256 index, uint256 tokenId, address to) internal {
        ghostOwnerOf[tokenId] = to;
        _ghostAcquiredAt[tokenId] = vm.getBlockTimestamp();
        _ghostRestricted[tokenId] = _ghostPolicy[index] != IVermilionCollection.TransferPolicy.Free;
        ++ghostBalance[to];
        ++ghostMinted[index];
    }

    /// @dev True when the call went as predicted; records a violation otherwise.
    function _outcomeIs(bool ok, bytes memory ret, bytes memory expected, string memory actionName)
        internal
        returns (bool)
    {
        if (expected.length == 0 && !ok) {
            _violation(string.concat(actionName, ": reverted unexpectedly with ", _selectorOf(ret)));
            return false;
        }
        if (expected.length != 0 && ok) {
            _violation(string.concat(actionName, ": succeeded but should have reverted"));
            return false;
        }
        if (expected.length != 0 && keccak256(ret) != keccak256(expected)) {
            _violation(string.concat(actionName, ": expected ", _selectorOf(expected), ", got ", _selectorOf(ret)));
            return false;
        }
        return true;
    }

    function _selectorOf(bytes memory revertData) internal pure returns (string memory) {
        if (revertData.length < 4) return "empty revert data";
        return Strings.toHexString(uint256(uint32(bytes4(revertData))), 4);
    }

    function _check(bool condition, string memory message) internal {
        if (!condition) _violation(message);
    }

    function _violation(string memory message) internal {
        if (violations == 0) firstViolation = message;
        ++violations;
    }

    // ------------------------------------------------------------------ picking inputs

    /// @dev Edition index from a seed: the large Free edition three times in five, so its batches span words.
    function _edition(uint256 seed) internal pure returns (uint256) {
        uint256 pick = seed % 5;
        return pick < 3 ? 0 : pick - 2;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    function _quantity(uint256 index, uint256 seed, uint256 max) internal view returns (uint256) {
        uint256 quantity = bound(seed >> 1, 1, max);
        uint256 remaining = _maxSupply[index] - ghostMinted[index];
        if (seed % 2 == 0 && remaining != 0 && quantity > remaining) quantity = remaining;
        return quantity;
    }

    /**
     * @dev A minted (possibly burned) token, biased towards the places a lazy lookup could get wrong: an
     * edition's first serial, both sides of a 256-id word boundary, and the last minted serial.
     */
    function _pickToken(uint256 seed) internal view returns (bool found, uint256 index, uint256 tokenId) {
        index = _edition(seed);
        uint256 minted = ghostMinted[index];
        if (minted == 0) return (false, index, 0);
        uint256 base = _editionIds[index] * SERIALS_PER_EDITION;
        uint256 serial;
        uint256 kind = (seed >> 8) % 6;
        if (kind == 0) {
            serial = 1;
        } else if (kind == 1 || kind == 2) {
            // First serial of a word: (base + serial) % 256 == 0.
            uint256 firstInWord = (256 - (base % 256)) % 256;
            serial = firstInWord + 256 * ((seed >> 16) % 4) - (kind == 2 ? 1 : 0);
            if (serial == 0 || serial > minted) serial = 1 + (seed >> 24) % minted;
        } else if (kind == 3) {
            serial = minted;
        } else {
            serial = 1 + (seed >> 16) % minted;
        }
        return (true, index, base + serial);
    }

    /// @dev The owner, its approved address, one of its operators, or any actor.
    function _caller(uint256 tokenId, address owner, uint256 seed) internal view returns (address) {
        uint256 kind = seed % 4;
        if (kind == 1 && ghostApproved[tokenId] != address(0)) return ghostApproved[tokenId];
        if (kind == 2) {
            for (uint256 i = 0; i < _actors.length; ++i) {
                if (_ghostOperator[owner][_actors[i]]) return _actors[i];
            }
        }
        if (kind == 3) return _actor(seed >> 8);
        return owner == address(0) ? _actor(seed >> 8) : owner;
    }

    function _authorized(uint256 tokenId, address owner, address caller) internal view returns (bool) {
        return caller == owner || _ghostOperator[owner][caller] || ghostApproved[tokenId] == caller;
    }
}
