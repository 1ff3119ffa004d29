// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ConfigHash} from "./ConfigHash.sol";
import {CustosStorage} from "./CustosStorage.sol";
import {GuardianSignatures} from "./GuardianSignatures.sol";
import {DelayBounds, GuardianConfig, ICustosRecovery} from "../interfaces/ICustosRecovery.sol";

/// @title Guardian-based recovery, lock, delayed configuration and signer rotation
/// @notice The security policy of a Custos account (rules S1–S7, S11, S12), independent of how the
/// account executes calls. The account composes it and supplies the owner-authorisation hook.
/// @dev Only the hash of the guardian configuration is stored; every function that needs the guardians
/// or the delays takes the configuration as calldata and checks it against the stored hash.
abstract contract GuardianRecovery is ICustosRecovery, EIP712 {
    /// @dev Upper bound on guardians: keeps every loop bounded and approvals in a 16-bit bitmap.
    uint256 public constant MAX_GUARDIANS = 16;

    bytes32 public constant RECOVERY_TYPEHASH = keccak256(
        "Recovery(address newOwner,uint256 nonce,uint256 epoch,uint256 deadline)"
    );
    bytes32 public constant ROTATION_TYPEHASH = keccak256(
        "Rotation(address newOwner,uint256 nonce,uint256 epoch,uint256 deadline)"
    );
    bytes32 public constant CANCEL_TYPEHASH = keccak256(
        "CancelRecovery(address newOwner,uint256 nonce,uint256 epoch,uint256 deadline)"
    );

    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    /// @dev keccak256 of the EIP-712 name and version the account passes to EIP712("Custos", "1").
    bytes32 private constant _HASHED_NAME = keccak256("Custos");
    bytes32 private constant _HASHED_VERSION = keccak256("1");

    uint8 internal constant REASON_CREATION = 0;
    uint8 internal constant REASON_RECOVERY = 1;
    uint8 internal constant REASON_ROTATION = 2;

    uint32 private immutable _MIN_RECOVERY_DELAY;
    uint32 private immutable _MAX_RECOVERY_DELAY;
    uint32 private immutable _MIN_SECURITY_PERIOD;
    uint32 private immutable _MAX_SECURITY_PERIOD;
    uint32 private immutable _MIN_SECURITY_WINDOW;
    uint32 private immutable _MAX_SECURITY_WINDOW;
    uint32 private immutable _MIN_LOCK_PERIOD;
    uint32 private immutable _MAX_LOCK_PERIOD;

    constructor(DelayBounds memory bounds) {
        _MIN_RECOVERY_DELAY = bounds.minRecoveryDelay;
        _MAX_RECOVERY_DELAY = bounds.maxRecoveryDelay;
        _MIN_SECURITY_PERIOD = bounds.minSecurityPeriod;
        _MAX_SECURITY_PERIOD = bounds.maxSecurityPeriod;
        _MIN_SECURITY_WINDOW = bounds.minSecurityWindow;
        _MAX_SECURITY_WINDOW = bounds.maxSecurityWindow;
        _MIN_LOCK_PERIOD = bounds.minLockPeriod;
        _MAX_LOCK_PERIOD = bounds.maxLockPeriod;
    }

    /// @dev Reverts unless the caller is authorised by the owner (owner, the account, or the EntryPoint
    /// after owner-signature validation).
    function _requireOwnerAuthorized() internal view virtual;

    modifier onlyOwnerAuthorized() {
        _requireOwnerAuthorized();
        _requireNotFrozen();
        _;
    }

    // ================================================================== views

    /// @inheritdoc ICustosRecovery
    function owner() public view returns (address) {
        return CustosStorage.layout().owner;
    }

    /// @inheritdoc ICustosRecovery
    function accountState()
        external
        view
        returns (address owner_, uint256 lockedUntil, bool recovering, uint256 epoch, uint256 nonce)
    {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return ($.owner, $.lockedUntil, $.recovering, $.epoch, $.nonce);
    }

    /// @inheritdoc ICustosRecovery
    function configHash() external view returns (bytes32) {
        return _currentConfigHash(CustosStorage.layout());
    }

    /// @inheritdoc ICustosRecovery
    function pendingRecovery() external view returns (address newOwner, uint256 executeAfter, uint256 guardianCount) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return ($.recoveryOwner, $.executeAfter, $.recoveryGuardianCount);
    }

    /// @notice The confirmation window of a pending configuration change at the current epoch, or zeros.
    function pendingConfigChange(bytes32 nextConfigHash) external view returns (uint256 readyAt, uint256 expiresAt) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 window = $.pendingChanges[_changeKey($.epoch, nextConfigHash)];
        return (uint40(window), window >> 40);
    }

    /// @notice Bitmap of guardian indexes that approved the recovery request `digest` on-chain.
    function recoveryApprovals(bytes32 digest) external view returns (uint256) {
        return CustosStorage.layout().approvals[digest];
    }

    /// @notice The implementation's immutable delay bounds.
    function delayBounds() external view returns (DelayBounds memory) {
        return
            DelayBounds(
                _MIN_RECOVERY_DELAY,
                _MAX_RECOVERY_DELAY,
                _MIN_SECURITY_PERIOD,
                _MAX_SECURITY_PERIOD,
                _MIN_SECURITY_WINDOW,
                _MAX_SECURITY_WINDOW,
                _MIN_LOCK_PERIOD,
                _MAX_LOCK_PERIOD
            );
    }

    /// @notice Hash that a configuration is stored as.
    function hashConfig(GuardianConfig calldata config) public pure returns (bytes32) {
        return ConfigHash.hash(config);
    }

    /// @notice EIP-712 digest a guardian signs to approve a recovery to `newOwner` (current nonce/epoch).
    function recoveryDigest(address newOwner, uint256 deadline) public view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return _digest(RECOVERY_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
    }

    /// @notice EIP-712 digest a guardian signs to approve the owner's rotation to `newOwner`.
    function rotationDigest(address newOwner, uint256 deadline) public view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return _digest(ROTATION_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
    }

    /// @notice EIP-712 digest the owner and guardians sign to cancel the pending recovery.
    function cancelDigest(uint256 deadline) public view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return _digest(CANCEL_TYPEHASH, $.recoveryOwner, $.nonce, $.epoch, deadline);
    }

    /// @notice Reverts with the reason a `startRecovery` with these arguments would fail, ignoring the
    /// deadline (the EntryPoint enforces it as `validUntil`). Used by UserOperation validation.
    function checkStartRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) public view {
        _verifyRecovery(newOwner, deadline, config, signatures);
    }

    /// @notice Reverts with the reason a `cancelRecovery` with these arguments would fail, ignoring the
    /// deadline. Used by UserOperation validation.
    function checkCancelRecovery(
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) public view {
        _verifyCancel(deadline, config, signatures);
    }

    // ================================================================== guardians: lock (S4)

    /// @notice Locks the account for the configured lock period (device lost or stolen).
    /// @dev Any single current guardian. While locked, owner-signed operations, ERC-1271 signatures,
    /// configuration changes and upgrades are rejected; recovery proceeds. Never shortens a lock.
    /// @param index The caller's index in `config.guardians`.
    function lock(GuardianConfig calldata config, uint256 index) external {
        _requireGuardian(config, index);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 until = block.timestamp + config.lockPeriod;
        if (until > $.lockedUntil) $.lockedUntil = uint40(until);
        emit Locked(msg.sender, $.lockedUntil);
    }

    /// @notice Lifts a guardian lock before it expires.
    /// @dev Any single current guardian; reverts when the account is not locked.
    function unlock(GuardianConfig calldata config, uint256 index) external {
        _requireGuardian(config, index);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if ($.lockedUntil <= block.timestamp) revert NotLocked();
        $.lockedUntil = 0;
        emit Unlocked(msg.sender);
    }

    // ================================================================== recovery (S1–S3, S6–S8)

    /// @notice Starts a recovery to `newOwner` with `threshold` aggregated guardian approvals.
    /// @dev Anyone may submit. Approvals are EIP-712 signatures of `recoveryDigest(newOwner, deadline)`,
    /// parsed strictly (see GuardianSignatures). From now until execution or cancellation the owner
    /// key is frozen (S2); the recovery can be executed after `config.recoveryDelay`.
    function startRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external {
        if (block.timestamp > deadline) revert ApprovalExpired(deadline);
        _verifyRecovery(newOwner, deadline, config, signatures);
        _startRecovery(newOwner, config);
    }

    /// @notice Records the caller's approval of a recovery to `newOwner` on-chain; starts the recovery
    /// once `threshold` approvals are recorded.
    /// @dev For guardians that cannot sign off-chain (e.g. multisigs executing a transaction).
    /// @param index The caller's index in `config.guardians`.
    function approveRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        uint256 index
    ) external {
        _requireGuardian(config, index);
        bytes32 digest = _prepareApproval(newOwner, deadline, config);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 bitmap = $.approvals[digest];
        if (bitmap & (1 << index) != 0) revert AlreadyApproved(index);
        emit RecoveryApproved(digest, msg.sender, newOwner);
        _recordApprovals(digest, bitmap | (1 << index), newOwner, config);
    }

    /// @notice Records one or more signed guardian approvals on-chain (relayed by anyone); starts the
    /// recovery once `threshold` approvals are recorded.
    function submitRecoveryApprovals(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external {
        bytes32 digest = _prepareApproval(newOwner, deadline, config);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 stored = $.approvals[digest];
        uint256 added = GuardianSignatures.verify(digest, config.guardians, address(0), signatures, stored);
        for (uint256 i; i < config.guardians.length; ++i) {
            if (added & (1 << i) != 0) emit RecoveryApproved(digest, config.guardians[i], newOwner);
        }
        _recordApprovals(digest, stored | added, newOwner, config);
    }

    /// @notice Executes the pending recovery once its delay has elapsed: `newOwner` becomes the owner.
    /// @dev Anyone may submit. Lifts any lock, and bumps the recovery nonce and the configuration epoch,
    /// which voids every outstanding approval and pending configuration change.
    function executeRecovery() external {
        // Gas: slot 0 and slot 2 are each read once and written once as whole words (the compiler
        // reloads a packed slot for every field access and writes packed fields one by one: 5 extra
        // SLOADs and 2 extra SSTOREs of warm slots). Offsets are those of `CustosStorage.Layout`:
        // slot 0 = owner 0..159 | lockedUntil 160..199 | recovering 200..207 | epoch 208..231 |
        // nonce 232..255; slot 2 = recoveryOwner 0..159 | executeAfter 160..199 | guardian count 200..207.
        // Safe: the new slot 0 keeps epoch and nonce semantics (epoch checked, nonce wraps as a uint24
        // as before), clears the lock and the recovery flag, and slot 2 is zeroed as `_clearRecovery` did.
        bytes32 slot = CustosStorage.SLOT;
        uint256 slot0;
        uint256 slot2;
        assembly ("memory-safe") {
            slot0 := sload(slot)
            slot2 := sload(add(slot, 2))
        }
        if ((slot0 >> 200) & 0xff == 0) revert NoRecoveryPending();
        uint256 executeAfter = uint40(slot2 >> 160);
        if (block.timestamp < executeAfter) revert RecoveryNotExecutable(executeAfter);
        address previousOwner = address(uint160(slot0));
        address newOwner = address(uint160(slot2));
        uint256 nonce = slot0 >> 232;
        // Checked uint24 addition: panics on overflow exactly like the former `$.epoch += 1`.
        uint256 epoch = uint24(slot0 >> 208) + uint24(1);
        slot0 = uint160(newOwner) | (epoch << 208) | (uint256(uint24(nonce + 1)) << 232);
        assembly ("memory-safe") {
            sstore(slot, slot0)
            sstore(add(slot, 2), 0)
        }
        emit RecoveryExecuted(nonce, previousOwner, newOwner);
        emit OwnerChanged(previousOwner, newOwner, REASON_RECOVERY);
    }

    /// @notice Cancels the pending recovery with a quorum of ⌈(n+1)/2⌉ signatures drawn from the owner
    /// and the guardians (n = guardian count when the recovery started).
    /// @dev Anyone may submit. Signatures are over `cancelDigest(deadline)`; the owner signs with index 255.
    function cancelRecovery(uint256 deadline, GuardianConfig calldata config, bytes calldata signatures) external {
        if (block.timestamp > deadline) revert ApprovalExpired(deadline);
        _verifyCancel(deadline, config, signatures);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        address newOwner = $.recoveryOwner;
        uint256 nonce = $.nonce;
        $.recovering = false;
        $.nonce = uint24(nonce + 1);
        _clearRecovery($);
        emit RecoveryCancelled(nonce, newOwner);
    }

    // ================================================================== owner: rotation (S12)

    /// @notice Replaces the owner key, keeping the address: with approvals of ⌈n/2⌉ guardians over
    /// `rotationDigest(newOwner, deadline)`, or by the owner alone when there are no guardians.
    /// @dev Owner only, not while locked or recovering. Bumps nonce and epoch: pending configuration
    /// changes and outstanding approvals become useless.
    function rotateOwner(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external onlyOwnerAuthorized {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        _requireConfig($, config);
        address previousOwner = $.owner;
        _requireValidNewOwner(newOwner, previousOwner, config.guardians);
        uint256 n = config.guardians.length;
        if (n != 0) {
            if (block.timestamp > deadline) revert ApprovalExpired(deadline);
            bytes32 digest = _digest(ROTATION_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
            uint256 approved = GuardianSignatures.count(
                GuardianSignatures.verify(digest, config.guardians, address(0), signatures, 0)
            );
            uint256 required = (n + 1) / 2;
            if (approved < required) revert NotEnoughApprovals(approved, required);
        } else if (signatures.length != 0) {
            revert MalformedSignatures(0);
        }
        $.owner = newOwner;
        $.epoch += 1;
        $.nonce += 1;
        emit OwnerChanged(previousOwner, newOwner, REASON_ROTATION);
    }

    // ================================================================== owner: configuration (S5)

    /// @notice Requests a new guardian configuration (guardians, threshold, delays).
    /// @dev Owner only, not while locked or recovering. Takes effect on `confirmConfigChange` between
    /// `securityPeriod` and `securityPeriod + securityWindow` from now; immediate when the account has
    /// no guardians yet.
    function requestConfigChange(
        GuardianConfig calldata current,
        GuardianConfig calldata next
    ) external onlyOwnerAuthorized {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        _requireConfig($, current);
        _validateConfig(next, $.owner);
        bytes32 nextHash = hashConfig(next);
        if (nextHash == _currentConfigHash($)) revert ConfigUnchanged();
        if (current.guardians.length == 0) {
            _applyConfig($, next, nextHash);
            return;
        }
        bytes32 key = _changeKey($.epoch, nextHash);
        if ($.pendingChanges[key] != 0) revert ConfigChangeAlreadyPending(nextHash);
        uint256 readyAt = block.timestamp + current.securityPeriod;
        uint256 expiresAt = readyAt + current.securityWindow;
        $.pendingChanges[key] = readyAt | (expiresAt << 40);
        emit ConfigChangeRequested(
            $.epoch,
            nextHash,
            next.guardians,
            next.threshold,
            next.recoveryDelay,
            next.securityPeriod,
            next.securityWindow,
            next.lockPeriod,
            readyAt,
            expiresAt
        );
    }

    /// @notice Confirms a pending configuration change inside its window.
    /// @dev Owner only, not while locked or recovering. Bumps the epoch, which voids outstanding
    /// approvals and every other pending change.
    function confirmConfigChange(GuardianConfig calldata next) external onlyOwnerAuthorized {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        bytes32 nextHash = hashConfig(next);
        bytes32 key = _changeKey($.epoch, nextHash);
        uint256 window = $.pendingChanges[key];
        if (window == 0) revert NoPendingConfigChange(nextHash);
        uint256 readyAt = uint40(window);
        uint256 expiresAt = window >> 40;
        if (block.timestamp < readyAt || block.timestamp > expiresAt) {
            revert ConfigChangeNotConfirmable(readyAt, expiresAt);
        }
        delete $.pendingChanges[key];
        _applyConfig($, next, nextHash);
    }

    /// @notice Cancels a pending configuration change.
    /// @dev Owner only, not while locked or recovering.
    function cancelConfigChange(bytes32 nextConfigHash) external onlyOwnerAuthorized {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        bytes32 key = _changeKey($.epoch, nextConfigHash);
        if ($.pendingChanges[key] == 0) revert NoPendingConfigChange(nextConfigHash);
        delete $.pendingChanges[key];
        emit ConfigChangeCancelled($.epoch, nextConfigHash);
    }

    // ================================================================== internals

    function _initializeRecovery(address owner_, GuardianConfig calldata config) internal {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if ($.owner != address(0)) revert AlreadyInitialized();
        if (owner_ == address(0) || owner_ == address(this)) revert InvalidNewOwner(owner_);
        _validateConfig(config, owner_);
        $.owner = owner_;
        bytes32 hash = hashConfig(config);
        // Gas: saves the 22,100-gas SSTORE of a fresh slot when the factory already put this hash in the
        // proxy's code (see `_currentConfigHash`); any other deployment stores it as before. A proxy
        // whose immutable argument names another configuration cannot be initialised: the argument is
        // the account's configuration until the first confirmed change.
        bytes32 creationHash = _creationConfigHash();
        if (creationHash == bytes32(0)) $.configHash = hash;
        else if (creationHash != hash) revert ConfigMismatch(creationHash, hash);
        emit OwnerChanged(address(0), owner_, REASON_CREATION);
        _emitConfigApplied(0, hash, config);
    }

    /// @dev Reverts while the owner key is frozen: a recovery is pending (S2) or a guardian lock holds (S4).
    function _requireNotFrozen() internal view {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if ($.recovering) revert RecoveryPending();
        if ($.lockedUntil > block.timestamp) revert AccountLocked($.lockedUntil);
    }

    function _verifyRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) internal view {
        // Gas: slot 0 (owner, recovery flag, epoch, nonce) is read once and unpacked, instead of one
        // SLOAD per field (the compiler reloads a packed slot for every access). Offsets: see
        // `executeRecovery`.
        uint256 slot0 = _loadSlot0();
        if ((slot0 >> 200) & 0xff != 0) revert RecoveryPending();
        uint256 epoch = uint24(slot0 >> 208);
        _requireConfigAt(epoch, config);
        _requireValidNewOwner(newOwner, address(uint160(slot0)), config.guardians);
        bytes32 digest = _digest(RECOVERY_TYPEHASH, newOwner, slot0 >> 232, epoch, deadline);
        uint256 approved = GuardianSignatures.count(
            GuardianSignatures.verify(digest, config.guardians, address(0), signatures, 0)
        );
        if (approved < config.threshold) revert NotEnoughApprovals(approved, config.threshold);
    }

    function _verifyCancel(uint256 deadline, GuardianConfig calldata config, bytes calldata signatures) internal view {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if (!$.recovering) revert NoRecoveryPending();
        _requireConfig($, config);
        bytes32 digest = _digest(CANCEL_TYPEHASH, $.recoveryOwner, $.nonce, $.epoch, deadline);
        uint256 approved = GuardianSignatures.count(
            GuardianSignatures.verify(digest, config.guardians, $.owner, signatures, 0)
        );
        // ⌈(n+1)/2⌉ with n fixed when the recovery started.
        uint256 required = (uint256($.recoveryGuardianCount) + 2) / 2;
        if (approved < required) revert NotEnoughApprovals(approved, required);
    }

    function _prepareApproval(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config
    ) private view returns (bytes32) {
        if (block.timestamp > deadline) revert ApprovalExpired(deadline);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if ($.recovering) revert RecoveryPending();
        _requireConfig($, config);
        _requireValidNewOwner(newOwner, $.owner, config.guardians);
        return _digest(RECOVERY_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
    }

    function _recordApprovals(
        bytes32 digest,
        uint256 bitmap,
        address newOwner,
        GuardianConfig calldata config
    ) private {
        CustosStorage.layout().approvals[digest] = bitmap;
        if (GuardianSignatures.count(bitmap) >= config.threshold) _startRecovery(newOwner, config);
    }

    function _startRecovery(address newOwner, GuardianConfig calldata config) private {
        uint256 executeAfter = block.timestamp + config.recoveryDelay;
        uint256 n = config.guardians.length;
        // Gas: slot 0 gets its recovery flag and slot 2 the whole pending recovery in one SSTORE each,
        // from one (warm) read of slot 0, instead of field-by-field read-modify-writes. Safe: callers
        // checked that no recovery is pending, so slot 2 is zero and is fully overwritten; the values
        // are truncated exactly as the former field writes did (uint40 executeAfter, uint8 count of at
        // most MAX_GUARDIANS). Offsets: see `executeRecovery`.
        bytes32 slot = CustosStorage.SLOT;
        uint256 slot0 = _loadSlot0() | (1 << 200);
        uint256 slot2 = uint160(newOwner) | (uint256(uint40(executeAfter)) << 160) | (uint256(uint8(n)) << 200);
        assembly ("memory-safe") {
            sstore(slot, slot0)
            sstore(add(slot, 2), slot2)
        }
        emit RecoveryStarted(slot0 >> 232, newOwner, executeAfter, n);
    }

    /// @dev The packed slot 0 of `CustosStorage.Layout` as one word.
    function _loadSlot0() private view returns (uint256 slot0) {
        bytes32 slot = CustosStorage.SLOT;
        assembly ("memory-safe") {
            slot0 := sload(slot)
        }
    }

    function _clearRecovery(CustosStorage.Layout storage $) private {
        $.recoveryOwner = address(0);
        $.executeAfter = 0;
        $.recoveryGuardianCount = 0;
    }

    function _applyConfig(CustosStorage.Layout storage $, GuardianConfig calldata config, bytes32 hash) private {
        // Checked uint24 addition (panics on overflow): the epoch must never wrap to 0 (see
        // `_configHashAt`).
        uint24 epoch = $.epoch + 1;
        $.epoch = epoch;
        $.configHash = hash;
        _emitConfigApplied(epoch, hash, config);
    }

    function _emitConfigApplied(uint256 epoch, bytes32 hash, GuardianConfig calldata config) private {
        // Gas: the event's data, abi.encode(guardians, threshold, recoveryDelay, securityPeriod,
        // securityWindow, lockPeriod), is the struct's own canonical encoding (array offset 0xc0, five
        // words, length, elements), so it is copied from calldata with two CALLDATACOPYs instead of
        // Solidity's element-by-element event encoder. Safe: same bytes and topics as `emit
        // ConfigApplied(...)`; the offset and length come from Solidity's validated accessor.
        address[] calldata guardians = config.guardians;
        bytes32 topic = ConfigApplied.selector;
        assembly ("memory-safe") {
            let m := mload(0x40)
            let n := guardians.length
            mstore(m, 0xc0)
            calldatacopy(add(m, 0x20), add(config, 0x20), 0xa0)
            mstore(add(m, 0xc0), n)
            calldatacopy(add(m, 0xe0), guardians.offset, shl(5, n))
            log3(m, add(0xe0, shl(5, n)), topic, epoch, hash)
        }
    }

    /// @dev The hash of the current configuration: the stored one once a change was confirmed, else the
    /// creation configuration's hash that CustosFactory appended to the proxy's code as an immutable
    /// argument. Gas: 32 bytes of code deposit (6,400) instead of a fresh storage slot (22,100) at
    /// creation. Safe: proxy code cannot change, the factory initialises the account in the same
    /// transaction with the configuration hashing to those bytes, and `_applyConfig` always stores a
    /// (never zero) keccak hash, which then takes precedence.
    function _currentConfigHash(CustosStorage.Layout storage $) internal view returns (bytes32) {
        return _configHashAt($, $.epoch);
    }

    /// @dev `_currentConfigHash` when the caller already holds the current `epoch`.
    function _configHashAt(CustosStorage.Layout storage $, uint256 epoch) private view returns (bytes32 hash) {
        // Gas: at epoch 0 of a factory-made proxy the configuration can only be the creation one, so
        // the cold SLOAD of slot 1 (2,100) is skipped; `epoch` shares slot 0, which every caller has
        // already read (warm, 100). Safe: `_applyConfig` bumps the epoch (checked, never wraps to 0)
        // whenever it stores a hash, and `_initializeRecovery` rejects a configuration that differs
        // from the proxy's immutable argument, so slot 1 is zero whenever epoch is 0 and the argument
        // exists.
        if (epoch == 0) {
            hash = _creationConfigHash();
            if (hash != bytes32(0)) return hash;
        }
        hash = $.configHash;
        if (hash == bytes32(0)) hash = _creationConfigHash();
    }

    /// @dev The 32-byte immutable argument of a Solady ERC-1967 proxy with args (61-byte proxy code plus
    /// the hash), or zero when this code is not such a proxy (e.g. the implementation itself).
    function _creationConfigHash() internal view returns (bytes32 hash) {
        assembly ("memory-safe") {
            if eq(extcodesize(address()), 0x5d) {
                extcodecopy(address(), 0x00, 0x3d, 0x20)
                hash := mload(0x00)
            }
        }
    }

    function _requireConfig(CustosStorage.Layout storage $, GuardianConfig calldata config) private view {
        _requireConfigAt($.epoch, config);
    }

    /// @dev `_requireConfig` when the caller already holds the current `epoch`.
    function _requireConfigAt(uint256 epoch, GuardianConfig calldata config) private view {
        bytes32 supplied = hashConfig(config);
        bytes32 expected = _configHashAt(CustosStorage.layout(), epoch);
        if (supplied != expected) revert ConfigMismatch(expected, supplied);
    }

    function _requireGuardian(GuardianConfig calldata config, uint256 index) private view {
        _requireConfig(CustosStorage.layout(), config);
        if (index >= config.guardians.length || config.guardians[index] != msg.sender) revert NotGuardian(msg.sender);
    }

    /// @dev S1: the new owner must not be zero, the account, a guardian, or the current owner.
    function _requireValidNewOwner(address newOwner, address currentOwner, address[] calldata guardians) private view {
        if (newOwner == address(0) || newOwner == address(this) || newOwner == currentOwner) {
            revert InvalidNewOwner(newOwner);
        }
        for (uint256 i; i < guardians.length; ++i) {
            if (guardians[i] == newOwner) revert InvalidNewOwner(newOwner);
        }
    }

    /// @dev Checks a configuration: sorted unique guardians that are neither zero, the account nor the
    /// owner; a reachable threshold; delays within the implementation's bounds with
    /// recoveryDelay >= securityPeriod + securityWindow.
    function _validateConfig(GuardianConfig calldata config, address owner_) private view {
        address[] calldata guardians = config.guardians;
        uint256 n = guardians.length;
        if (n > MAX_GUARDIANS) revert TooManyGuardians(n, MAX_GUARDIANS);
        address previous;
        for (uint256 i; i < n; ++i) {
            address guardian = guardians[i];
            if (guardian == address(0) || guardian == address(this) || guardian == owner_) {
                revert InvalidGuardian(guardian);
            }
            if (guardian <= previous) revert GuardiansNotSorted(i);
            previous = guardian;
        }
        if (n == 0 ? config.threshold != 0 : (config.threshold == 0 || config.threshold > n)) {
            revert InvalidThreshold(config.threshold, n);
        }
        _checkBound(0, config.recoveryDelay, _MIN_RECOVERY_DELAY, _MAX_RECOVERY_DELAY);
        _checkBound(1, config.securityPeriod, _MIN_SECURITY_PERIOD, _MAX_SECURITY_PERIOD);
        _checkBound(2, config.securityWindow, _MIN_SECURITY_WINDOW, _MAX_SECURITY_WINDOW);
        _checkBound(3, config.lockPeriod, _MIN_LOCK_PERIOD, _MAX_LOCK_PERIOD);
        uint256 minimum = config.securityPeriod + config.securityWindow;
        if (config.recoveryDelay < minimum) revert RecoveryDelayTooShort(config.recoveryDelay, minimum);
    }

    function _checkBound(uint8 which, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert DelayOutOfBounds(which, value, min, max);
    }

    function _digest(
        bytes32 typehash,
        address newOwner,
        uint256 nonce,
        uint256 epoch,
        uint256 deadline
    ) internal view returns (bytes32 result) {
        // Gas: the EIP-712 domain separator, the struct hash and the final digest are built in scratch
        // memory with constant name/version hashes. Through a proxy OpenZeppelin's `_domainSeparatorV4`
        // misses its cache (it belongs to the implementation's address) and rebuilds the separator with
        // `abi.encode` on every call; this does the same hashing without the encoder, the cache checks
        // and the immutable reads. Safe: the bytes hashed are exactly those of OpenZeppelin's
        // `_buildDomainSeparator` (name "Custos", version "1" — the account's EIP712 constructor
        // arguments; the recovery, rotation and cancel tests sign these digests off-chain as EIP-712
        // typed data), `abi.encode(typehash, newOwner, nonce, epoch, deadline)` and `toTypedDataHash`;
        // memory past the free pointer is scratch only and the free memory pointer is restored.
        bytes32 domainTypehash = _DOMAIN_TYPEHASH;
        bytes32 hashedName = _HASHED_NAME;
        bytes32 hashedVersion = _HASHED_VERSION;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, domainTypehash)
            mstore(add(m, 0x20), hashedName)
            mstore(add(m, 0x40), hashedVersion)
            mstore(add(m, 0x60), chainid())
            mstore(add(m, 0x80), address())
            let domain := keccak256(m, 0xa0)
            mstore(m, typehash)
            mstore(add(m, 0x20), and(newOwner, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x40), nonce)
            mstore(add(m, 0x60), epoch)
            mstore(add(m, 0x80), deadline)
            let structHash := keccak256(m, 0xa0)
            mstore(0x00, 0x1901)
            mstore(0x20, domain)
            mstore(0x40, structHash)
            result := keccak256(0x1e, 0x42)
            mstore(0x40, m)
        }
    }

    function _changeKey(uint256 epoch, bytes32 nextHash) private pure returns (bytes32) {
        return keccak256(abi.encode(epoch, nextHash));
    }
}
