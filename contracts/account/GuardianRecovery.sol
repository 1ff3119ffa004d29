// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ConfigHash} from "./ConfigHash.sol";
import {CustosStorage} from "./CustosStorage.sol";
import {CustosTypedData} from "./CustosTypedData.sol";
import {GuardianSignatures} from "./GuardianSignatures.sol";
import {DelayBounds, GasCaps, GuardianConfig, ICustosRecovery} from "../interfaces/ICustosRecovery.sol";

/// @title Guardian-based recovery, lock, delayed configuration and signer rotation
/// @notice The security policy of a Custos account (rules S1–S7, S11–S14), independent of how the
/// account executes calls. The account composes it and supplies the owner-authorisation and
/// EntryPoint hooks.
/// @dev Only the hash of the guardian configuration is stored; every function that needs the guardians
/// or the delays takes the configuration as calldata and checks it against the stored hash. The packed
/// words are laid out in CustosStorage.
abstract contract GuardianRecovery is ICustosRecovery {
    /// @dev Upper bound on guardians: keeps every loop bounded and approvals in a 16-bit bitmap.
    uint256 public constant MAX_GUARDIANS = 16;

    uint8 internal constant REASON_CREATION = 0;
    uint8 internal constant REASON_RECOVERY = 1;
    uint8 internal constant REASON_ROTATION = 2;

    uint256 private constant _EPOCH_NONCE_MASK = (1 << 48) - 1;

    uint32 private immutable _MIN_RECOVERY_DELAY;
    uint32 private immutable _MAX_RECOVERY_DELAY;
    uint32 private immutable _MIN_SECURITY_PERIOD;
    uint32 private immutable _MAX_SECURITY_PERIOD;
    uint32 private immutable _MIN_SECURITY_WINDOW;
    uint32 private immutable _MAX_SECURITY_WINDOW;
    uint32 private immutable _MIN_LOCK_PERIOD;
    uint32 private immutable _MAX_LOCK_PERIOD;

    uint256 private immutable _MAX_VERIFICATION_GAS_LIMIT;
    uint256 private immutable _MAX_CALL_GAS_LIMIT;
    uint256 private immutable _MIN_CALL_GAS_LIMIT;
    uint256 private immutable _MAX_PRE_VERIFICATION_GAS;
    uint256 private immutable _MAX_PRIORITY_FEE_PER_GAS;
    uint256 private immutable _MAX_FEE_PER_GAS;

    constructor(DelayBounds memory bounds, GasCaps memory caps) {
        _MIN_RECOVERY_DELAY = bounds.minRecoveryDelay;
        _MAX_RECOVERY_DELAY = bounds.maxRecoveryDelay;
        _MIN_SECURITY_PERIOD = bounds.minSecurityPeriod;
        _MAX_SECURITY_PERIOD = bounds.maxSecurityPeriod;
        _MIN_SECURITY_WINDOW = bounds.minSecurityWindow;
        _MAX_SECURITY_WINDOW = bounds.maxSecurityWindow;
        _MIN_LOCK_PERIOD = bounds.minLockPeriod;
        _MAX_LOCK_PERIOD = bounds.maxLockPeriod;
        _MAX_VERIFICATION_GAS_LIMIT = caps.maxVerificationGasLimit;
        _MAX_CALL_GAS_LIMIT = caps.maxCallGasLimit;
        _MIN_CALL_GAS_LIMIT = caps.minCallGasLimit;
        _MAX_PRE_VERIFICATION_GAS = caps.maxPreVerificationGas;
        _MAX_PRIORITY_FEE_PER_GAS = caps.maxPriorityFeePerGas;
        _MAX_FEE_PER_GAS = caps.maxFeePerGas;
    }

    /// @dev Reverts unless the caller is authorised by the owner (owner, the account, or the EntryPoint
    /// after owner-signature validation).
    function _requireOwnerAuthorized() internal view virtual;

    /// @dev True when the caller is the EntryPoint, which calls the account only to execute a
    /// UserOperation whose validation just passed.
    function _calledByEntryPoint() internal view virtual returns (bool);

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
        return CustosStorage.unpackSlot0(CustosStorage.loadSlot0());
    }

    /// @inheritdoc ICustosRecovery
    function configHash() external view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return _configHashAt($, $.epoch);
    }

    /// @inheritdoc ICustosRecovery
    function pendingRecovery() external view returns (address newOwner, uint256 executeAfter, uint256 guardianCount) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if (!$.recovering) return (address(0), 0, 0);
        return CustosStorage.unpackRecovery($.recovery);
    }

    /// @inheritdoc ICustosRecovery
    function lockRecord(
        address guardian
    ) external view returns (address currentLocker, uint256 lastLockEnd, uint256 lockedInEpoch) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 record = $.guardianLocks[guardian];
        return ($.locker, uint40(record), record >> CustosStorage.BITPOS_LOCK_EPOCH);
    }

    /// @inheritdoc ICustosRecovery
    function pendingConfigChange(bytes32 nextConfigHash) external view returns (uint256 readyAt, uint256 expiresAt) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 window = $.pendingChanges[_changeKey($.epoch, $.nonce, nextConfigHash)];
        return (uint40(window), uint40(window >> CustosStorage.BITPOS_EXPIRES_AT));
    }

    /// @inheritdoc ICustosRecovery
    function recoveryApprovals(bytes32 digest) external view returns (uint256) {
        return CustosStorage.layout().approvals[digest];
    }

    /// @inheritdoc ICustosRecovery
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

    /// @inheritdoc ICustosRecovery
    function gasCaps() external view returns (GasCaps memory) {
        return
            GasCaps(
                uint32(_MAX_VERIFICATION_GAS_LIMIT),
                uint32(_MAX_CALL_GAS_LIMIT),
                uint32(_MIN_CALL_GAS_LIMIT),
                uint32(_MAX_PRE_VERIFICATION_GAS),
                uint64(_MAX_PRIORITY_FEE_PER_GAS),
                uint64(_MAX_FEE_PER_GAS)
            );
    }

    /// @inheritdoc ICustosRecovery
    function hashConfig(GuardianConfig calldata config) public pure returns (bytes32) {
        return ConfigHash.hash(config);
    }

    /// @inheritdoc ICustosRecovery
    function recoveryDigest(address newOwner, uint256 deadline) external view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return CustosTypedData.approvalDigest(CustosTypedData.RECOVERY_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
    }

    /// @inheritdoc ICustosRecovery
    function rotationDigest(address newOwner, uint256 deadline) external view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        return CustosTypedData.approvalDigest(CustosTypedData.ROTATION_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
    }

    /// @inheritdoc ICustosRecovery
    function cancelDigest(uint256 deadline) external view returns (bytes32) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        (address newOwner, , ) = CustosStorage.unpackRecovery($.recovery);
        if (!$.recovering) newOwner = address(0);
        return CustosTypedData.approvalDigest(CustosTypedData.CANCEL_TYPEHASH, newOwner, $.nonce, $.epoch, deadline);
    }

    /// @inheritdoc ICustosRecovery
    function checkStartRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) public view returns (uint256 validAfter) {
        _verifyRecovery(newOwner, deadline, config, signatures, false);
        uint256 lastPaidStart = CustosStorage.layout().recovery >> CustosStorage.BITPOS_LAST_PAID_START;
        if (lastPaidStart != 0) validAfter = lastPaidStart + config.recoveryDelay;
    }

    /// @inheritdoc ICustosRecovery
    function checkCancelRecovery(
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) public view {
        _verifyCancel(deadline, config, signatures, false);
    }

    // ================================================================== guardians: lock (S4)

    /// @inheritdoc ICustosRecovery
    function lock(GuardianConfig calldata config, uint256 index) external {
        _requireGuardian(config, index);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 lockedUntil = $.lockedUntil;
        if (lockedUntil > block.timestamp) revert AlreadyLocked(lockedUntil);
        uint256 lastLockEnd = uint40($.guardianLocks[msg.sender]);
        if (lastLockEnd != 0) {
            uint256 availableAt = lastLockEnd + config.securityPeriod + config.securityWindow;
            if (block.timestamp < availableAt) revert LockCooldown(msg.sender, availableAt);
        }
        uint256 until = block.timestamp + config.lockPeriod;
        $.lockedUntil = uint40(until);
        $.locker = msg.sender;
        $.guardianLocks[msg.sender] = until | (uint256($.epoch) << CustosStorage.BITPOS_LOCK_EPOCH);
        emit Locked(msg.sender, until);
    }

    /// @inheritdoc ICustosRecovery
    function unlock(GuardianConfig calldata config, uint256 index) external {
        _requireGuardian(config, index);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if ($.lockedUntil <= block.timestamp) revert NotLocked();
        $.lockedUntil = 0;
        _endLockerLock($, msg.sender);
    }

    // ================================================================== recovery (S1–S3, S6–S8, S13)

    /// @inheritdoc ICustosRecovery
    function startRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external {
        if (_calledByEntryPoint()) {
            // Validation ran `checkStartRecovery` for this very operation and marked it in flight.
            _requireStartInFlight(newOwner);
            _startRecovery(newOwner, config, true);
            return;
        }
        _requireUnexpired(deadline);
        _verifyRecovery(newOwner, deadline, config, signatures, true);
        _startRecovery(newOwner, config, false);
    }

    /// @inheritdoc ICustosRecovery
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

    /// @inheritdoc ICustosRecovery
    function submitRecoveryApprovals(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external {
        bytes32 digest = _prepareApproval(newOwner, deadline, config);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 stored = $.approvals[digest];
        uint256 added = GuardianSignatures.verify(digest, config.guardians, address(0), signatures, stored, true);
        for (uint256 i; i < config.guardians.length; ++i) {
            if (added & (1 << i) != 0) emit RecoveryApproved(digest, config.guardians[i], newOwner);
        }
        _recordApprovals(digest, stored | added, newOwner, config);
    }

    /// @inheritdoc ICustosRecovery
    /// @dev Gas: slots 0 and 2 are read and written once each as words, and the two events are logged in
    /// assembly. Safe: the same checks in the same order (nothing pending, not yet executable), the same
    /// lock lift, the same counters (checked by `_bump`), the same words stored and the same logs as
    /// `emit RecoveryExecuted(nonce, previousOwner, newOwner)` and `emit OwnerChanged(previousOwner,
    /// newOwner, REASON_RECOVERY)`.
    function executeRecovery() external {
        bytes32 slot = CustosStorage.SLOT;
        uint256 slot0;
        uint256 recovery;
        assembly ("memory-safe") {
            slot0 := sload(slot)
            recovery := sload(add(slot, 2))
            if iszero(and(shr(200, slot0), 0xff)) {
                // not recovering (CustosStorage.BITPOS_RECOVERING)
                mstore(0x00, shl(224, 0xcbfae98d)) // NoRecoveryPending()
                revert(0x00, 0x04)
            }
            let executeAfter := and(shr(160, recovery), 0xffffffffff) // CustosStorage.BITPOS_EXECUTE_AFTER
            if lt(timestamp(), executeAfter) {
                mstore(0x00, shl(224, 0x6fcad4a0)) // RecoveryNotExecutable(uint256)
                mstore(0x04, executeAfter)
                revert(0x00, 0x24)
            }
        }
        if (uint40(slot0 >> CustosStorage.BITPOS_LOCKED_UNTIL) > block.timestamp) {
            _endLockerLock(CustosStorage.layout(), address(this));
        }
        uint256 nonce = slot0 >> CustosStorage.BITPOS_NONCE;
        // One SSTORE per packed slot: new owner, no lock, not recovering, epoch and nonce bumped.
        uint256 next =
            (_bump(uint24(slot0 >> CustosStorage.BITPOS_EPOCH)) << CustosStorage.BITPOS_EPOCH) |
                (_bump(nonce) << CustosStorage.BITPOS_NONCE);
        uint256 keepOnClear = CustosStorage.KEEP_ON_CLEAR;
        bytes32 executedTopic = RecoveryExecuted.selector;
        bytes32 ownerChangedTopic = OwnerChanged.selector;
        assembly ("memory-safe") {
            let newOwner := and(recovery, 0xffffffffffffffffffffffffffffffffffffffff)
            let previousOwner := and(slot0, 0xffffffffffffffffffffffffffffffffffffffff)
            sstore(slot, or(next, newOwner))
            sstore(add(slot, 2), and(recovery, keepOnClear))
            log4(0x00, 0x00, executedTopic, nonce, previousOwner, newOwner)
            mstore(0x00, REASON_RECOVERY)
            log3(0x00, 0x20, ownerChangedTopic, previousOwner, newOwner)
        }
    }

    /// @inheritdoc ICustosRecovery
    function cancelRecovery(uint256 deadline, GuardianConfig calldata config, bytes calldata signatures) external {
        if (_calledByEntryPoint()) {
            // Validation ran `checkCancelRecovery` for this very operation and marked it in flight. Between
            // the two, an earlier operation of the bundle (any sender's: executeRecovery and startRecovery
            // are open to anyone) may have ended that recovery and started another; every end clears the
            // mark and a start never sets it, so the mark still set means the very recovery validated.
            _requireRecoveryOpInFlight();
        } else {
            _requireUnexpired(deadline);
            _verifyCancel(deadline, config, signatures, true);
        }
        _cancelRecovery();
    }

    /// @inheritdoc ICustosRecovery
    function approveCancel(uint256 deadline, GuardianConfig calldata config, uint256 index) external {
        _requireGuardian(config, index);
        _requireUnexpired(deadline);
        (bytes32 digest, , uint256 quorum) = _prepareCancelDigest(deadline, config);
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 bitmap = $.approvals[digest];
        if (bitmap & (1 << index) != 0) revert AlreadyApproved(index);
        bitmap |= 1 << index;
        $.approvals[digest] = bitmap;
        emit CancelApproved(digest, msg.sender);
        if (GuardianSignatures.count(bitmap) >= quorum) _cancelRecovery();
    }

    // ================================================================== owner: rotation (S12)

    /// @inheritdoc ICustosRecovery
    function rotateOwner(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external {
        _requireOwnerAuthorized();
        (address previousOwner, uint256 lockedUntil, bool recovering, uint256 epoch, uint256 nonce) = CustosStorage
            .unpackSlot0(CustosStorage.loadSlot0());
        if (recovering) revert RecoveryPending();
        _requireConfigAt(epoch, config);
        _requireValidNewOwner(newOwner, previousOwner, config.guardians);
        uint256 n = config.guardians.length;
        if (n != 0) {
            _requireUnexpired(deadline);
            bytes32 digest = CustosTypedData.approvalDigest(
                CustosTypedData.ROTATION_TYPEHASH,
                newOwner,
                nonce,
                epoch,
                deadline
            );
            // Rotation runs guardian code only in execution (an owner-validated operation), so ERC-1271
            // guardians may sign here.
            uint256 approved = GuardianSignatures.count(
                GuardianSignatures.verify(digest, config.guardians, address(0), signatures, 0, true)
            );
            uint256 required = (n + 1) / 2;
            if (approved < required) revert NotEnoughApprovals(approved, required);
        } else if (signatures.length != 0) {
            revert MalformedSignatures(0);
        }
        if (lockedUntil > block.timestamp) _endLockerLock(CustosStorage.layout(), address(this));
        CustosStorage.storeSlot0(CustosStorage.packSlot0(newOwner, 0, false, _bump(epoch), _bump(nonce)));
        emit OwnerChanged(previousOwner, newOwner, REASON_ROTATION);
    }

    // ================================================================== owner: configuration (S5)

    /// @inheritdoc ICustosRecovery
    function requestConfigChange(GuardianConfig calldata current, GuardianConfig calldata next) external {
        _requireOwnerAuthorized();
        CustosStorage.Layout storage $ = CustosStorage.layout();
        (address owner_, uint256 lockedUntil, bool recovering, uint256 epoch, uint256 nonce) = CustosStorage
            .unpackSlot0(CustosStorage.loadSlot0());
        if (recovering) revert RecoveryPending();
        bytes32 currentHash = _requireConfigAt(epoch, current);
        _validateConfig(next, owner_);
        bytes32 nextHash = hashConfig(next);
        if (nextHash == currentHash) revert ConfigUnchanged();
        bool lockerRemoval = _isLockerRemoval($, current, next, epoch, lockedUntil);
        if (lockedUntil > block.timestamp && !lockerRemoval) revert OnlyLockerRemovalWhileLocked(lockedUntil);
        if (current.guardians.length == 0) {
            _applyConfig($, next, nextHash, epoch);
            return;
        }
        _recordPendingChange($, current, next, nextHash, _changeKey(epoch, nonce, nextHash), lockerRemoval);
    }

    /// @inheritdoc ICustosRecovery
    function confirmConfigChange(GuardianConfig calldata next) external {
        _requireOwnerAuthorized();
        CustosStorage.Layout storage $ = CustosStorage.layout();
        (, uint256 lockedUntil, bool recovering, uint256 epoch, uint256 nonce) = CustosStorage.unpackSlot0(
            CustosStorage.loadSlot0()
        );
        if (recovering) revert RecoveryPending();
        bytes32 nextHash = hashConfig(next);
        bytes32 key = _changeKey(epoch, nonce, nextHash);
        uint256 window = $.pendingChanges[key];
        if (window == 0) revert NoPendingConfigChange(nextHash);
        if (lockedUntil > block.timestamp && window & CustosStorage.LOCKER_REMOVAL == 0) {
            revert OnlyLockerRemovalWhileLocked(lockedUntil);
        }
        uint256 readyAt = uint40(window);
        uint256 expiresAt = uint40(window >> CustosStorage.BITPOS_EXPIRES_AT);
        if (block.timestamp < readyAt || block.timestamp > expiresAt) {
            revert ConfigChangeNotConfirmable(readyAt, expiresAt);
        }
        delete $.pendingChanges[key];
        _applyConfig($, next, nextHash, epoch);
    }

    /// @inheritdoc ICustosRecovery
    function cancelConfigChange(bytes32 nextConfigHash) external onlyOwnerAuthorized {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 epoch = $.epoch;
        bytes32 key = _changeKey(epoch, $.nonce, nextConfigHash);
        if ($.pendingChanges[key] == 0) revert NoPendingConfigChange(nextConfigHash);
        delete $.pendingChanges[key];
        emit ConfigChangeCancelled(epoch, nextConfigHash);
    }

    // ================================================================== UserOperation validation (S13, S14)

    /// @dev S13: whether the gas fields of a UserOperation the owner did not sign stay within the
    /// immutable caps, and its call gas suffices for its execution (which then cannot fail: validation
    /// checked the rest). Out of bounds, validation reports a signature failure rather than reverting, so
    /// a bundler can still estimate such an operation with its own probing limits, and the EntryPoint
    /// refuses it at submission (AA24); the client library names the field and its cap beforehand.
    function _withinGasCaps(
        bytes32 accountGasLimits,
        uint256 preVerificationGas,
        bytes32 gasFees
    ) internal view returns (bool) {
        uint256 callGasLimit = uint128(uint256(accountGasLimits));
        return
            uint256(accountGasLimits) >> 128 <= _MAX_VERIFICATION_GAS_LIMIT &&
            callGasLimit <= _MAX_CALL_GAS_LIMIT &&
            callGasLimit >= _MIN_CALL_GAS_LIMIT &&
            preVerificationGas <= _MAX_PRE_VERIFICATION_GAS &&
            uint256(gasFees) >> 128 <= _MAX_PRIORITY_FEE_PER_GAS &&
            uint128(uint256(gasFees)) <= _MAX_FEE_PER_GAS;
    }

    /// @dev Marks a validated `startRecovery` operation in flight, bound to the current epoch and nonce,
    /// so a second guardian-driven operation in the same bundle fails validation (S13: the account pays
    /// for at most one). A mark left by an earlier epoch or nonce is stale and overwritten.
    function _markStartInFlight(address newOwner) internal {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 recovery = $.recovery;
        uint256 epochNonce = (CustosStorage.loadSlot0() >> CustosStorage.BITPOS_EPOCH) & _EPOCH_NONCE_MASK;
        if (
            recovery & CustosStorage.IN_FLIGHT != 0 &&
            (recovery >> CustosStorage.BITPOS_VALIDATED_EPOCH_NONCE) & _EPOCH_NONCE_MASK == epochNonce
        ) revert OperationInFlight();
        $.recovery =
            (recovery & CustosStorage.KEEP_ON_CLEAR) |
            uint160(newOwner) |
            (epochNonce << CustosStorage.BITPOS_VALIDATED_EPOCH_NONCE) |
            CustosStorage.IN_FLIGHT;
    }

    /// @dev Marks a validated `executeRecovery` or `cancelRecovery` operation in flight (see
    /// `_markStartInFlight`); reverts when no recovery is pending.
    function _markRecoveryOpInFlight() internal returns (address newOwner, uint256 executeAfter) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if (!$.recovering) revert NoRecoveryPending();
        uint256 recovery = $.recovery;
        if (recovery & CustosStorage.IN_FLIGHT != 0) revert OperationInFlight();
        $.recovery = recovery | CustosStorage.IN_FLIGHT;
        (newOwner, executeAfter, ) = CustosStorage.unpackRecovery(recovery);
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
        (, uint256 lockedUntil, bool recovering, , ) = CustosStorage.unpackSlot0(CustosStorage.loadSlot0());
        if (recovering) revert RecoveryPending();
        if (lockedUntil > block.timestamp) revert AccountLocked(lockedUntil);
    }

    /// @dev S6: a deadline is never 0 and not past.
    function _requireUnexpired(uint256 deadline) private view {
        if (deadline == 0) revert InvalidDeadline(0);
        if (block.timestamp > deadline) revert ApprovalExpired(deadline);
    }

    /// @dev The recovery checks that need no clock: nothing pending, the configuration, the new owner
    /// and `threshold` approvals (blob entries plus approvals recorded on-chain).
    function _verifyRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures,
        bool allowContracts
    ) private view {
        bytes32 digest = _prepareRecoveryDigest(newOwner, deadline, config);
        _requireApprovals(digest, config, address(0), signatures, allowContracts, config.threshold);
    }

    /// @dev The cancel checks that need no clock: a pending recovery, the configuration, and the quorum.
    function _verifyCancel(
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures,
        bool allowContracts
    ) private view {
        (bytes32 digest, address owner_, uint256 quorum) = _prepareCancelDigest(deadline, config);
        _requireApprovals(digest, config, owner_, signatures, allowContracts, quorum);
    }

    /// @dev Checks that the pending recovery may be cancelled with `config` (a recovery pending, the
    /// current configuration, a non-zero deadline); returns the digest to sign, the owner and the quorum.
    function _prepareCancelDigest(
        uint256 deadline,
        GuardianConfig calldata config
    ) private view returns (bytes32 digest, address owner_, uint256 quorum) {
        if (deadline == 0) revert InvalidDeadline(0);
        uint256 slot0 = CustosStorage.loadSlot0();
        bool recovering;
        uint256 epoch;
        uint256 nonce;
        (owner_, , recovering, epoch, nonce) = CustosStorage.unpackSlot0(slot0);
        if (!recovering) revert NoRecoveryPending();
        _requireConfigAt(epoch, config);
        (address newOwner, , uint256 count) = CustosStorage.unpackRecovery(CustosStorage.layout().recovery);
        digest = CustosTypedData.approvalDigest(CustosTypedData.CANCEL_TYPEHASH, newOwner, nonce, epoch, deadline);
        quorum = _cancelQuorum(count);
    }

    /// @dev S3: ⌈(n+1)/2⌉ with n fixed when the recovery started.
    function _cancelQuorum(uint256 guardianCount) private pure returns (uint256) {
        return (guardianCount + 2) / 2;
    }

    /// @dev Reverts unless the blob's signatures, together with the approvals recorded on-chain for
    /// `digest`, number at least `required`. Gas: the on-chain record is read only when the blob alone
    /// falls short.
    function _requireApprovals(
        bytes32 digest,
        GuardianConfig calldata config,
        address owner_,
        bytes calldata signatures,
        bool allowContracts,
        uint256 required
    ) private view {
        uint256 bitmap = GuardianSignatures.verify(digest, config.guardians, owner_, signatures, 0, allowContracts);
        uint256 approved = GuardianSignatures.count(bitmap);
        if (approved < required) {
            approved = GuardianSignatures.count(bitmap | CustosStorage.layout().approvals[digest]);
            if (approved < required) revert NotEnoughApprovals(approved, required);
        }
    }

    function _prepareApproval(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config
    ) private view returns (bytes32) {
        _requireUnexpired(deadline);
        return _prepareRecoveryDigest(newOwner, deadline, config);
    }

    /// @dev Checks that a recovery to `newOwner` may be approved now (nothing pending, the current
    /// configuration, a valid new owner, a non-zero deadline) and returns the digest guardians sign.
    function _prepareRecoveryDigest(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config
    ) private view returns (bytes32) {
        if (deadline == 0) revert InvalidDeadline(0);
        (address owner_, , bool recovering, uint256 epoch, uint256 nonce) = CustosStorage.unpackSlot0(
            CustosStorage.loadSlot0()
        );
        if (recovering) revert RecoveryPending();
        _requireConfigAt(epoch, config);
        _requireValidNewOwner(newOwner, owner_, config.guardians);
        return CustosTypedData.approvalDigest(CustosTypedData.RECOVERY_TYPEHASH, newOwner, nonce, epoch, deadline);
    }

    function _recordApprovals(
        bytes32 digest,
        uint256 bitmap,
        address newOwner,
        GuardianConfig calldata config
    ) private {
        CustosStorage.layout().approvals[digest] = bitmap;
        if (GuardianSignatures.count(bitmap) >= config.threshold) _startRecovery(newOwner, config, false);
    }

    /// @dev Reverts unless a start validated for `newOwner` at the current epoch and nonce is in flight.
    function _requireStartInFlight(address newOwner) private view {
        uint256 recovery = CustosStorage.layout().recovery;
        uint256 slot0 = CustosStorage.loadSlot0();
        if (
            recovery & CustosStorage.IN_FLIGHT == 0 ||
            address(uint160(recovery)) != newOwner ||
            (recovery >> CustosStorage.BITPOS_VALIDATED_EPOCH_NONCE) & _EPOCH_NONCE_MASK !=
                (slot0 >> CustosStorage.BITPOS_EPOCH) & _EPOCH_NONCE_MASK ||
            (slot0 >> CustosStorage.BITPOS_RECOVERING) & 1 != 0
        ) revert StaleValidation();
    }

    /// @dev Reverts unless the recovery that a validated `cancelRecovery` operation marked in flight is still
    /// pending (see `cancelRecovery`).
    function _requireRecoveryOpInFlight() private view {
        if (!CustosStorage.layout().recovering || CustosStorage.layout().recovery & CustosStorage.IN_FLIGHT == 0) {
            revert StaleValidation();
        }
    }

    /// @dev Records the pending recovery. `paid`: the account pays for this start (a UserOperation), so
    /// its time is kept to space account-paid starts by the recovery delay (S13).
    function _startRecovery(address newOwner, GuardianConfig calldata config, bool paid) private {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        uint256 executeAfter = block.timestamp + config.recoveryDelay;
        uint256 n = config.guardians.length;
        uint256 slot0 = CustosStorage.loadSlot0() | (1 << CustosStorage.BITPOS_RECOVERING);
        uint256 kept =
            paid ? block.timestamp << CustosStorage.BITPOS_LAST_PAID_START : $.recovery & CustosStorage.KEEP_ON_CLEAR;
        CustosStorage.storeSlot0(slot0);
        $.recovery =
            uint160(newOwner) |
            (uint256(uint40(executeAfter)) << CustosStorage.BITPOS_EXECUTE_AFTER) |
            (n << CustosStorage.BITPOS_GUARDIAN_COUNT) |
            kept;
        emit RecoveryStarted(slot0 >> CustosStorage.BITPOS_NONCE, newOwner, executeAfter, n);
    }

    function _cancelRecovery() private {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        (address owner_, uint256 lockedUntil, , uint256 epoch, uint256 nonce) = CustosStorage.unpackSlot0(
            CustosStorage.loadSlot0()
        );
        uint256 recovery = $.recovery;
        CustosStorage.storeSlot0(CustosStorage.packSlot0(owner_, lockedUntil, false, epoch, _bump(nonce)));
        $.recovery = recovery & CustosStorage.KEEP_ON_CLEAR;
        emit RecoveryCancelled(nonce, address(uint160(recovery)));
    }

    /// @dev Ends the current lock's record for its guardian now (it was lifted early, by `by`); the caller
    /// clears `lockedUntil`. Emits `Unlocked`.
    function _endLockerLock(CustosStorage.Layout storage $, address by) private {
        address locker = $.locker;
        uint256 record = $.guardianLocks[locker];
        $.guardianLocks[locker] = (record & ~uint256(type(uint40).max)) | block.timestamp;
        emit Unlocked(by);
    }

    /// @dev Records `next` as pending, confirmable in [now + securityPeriod, + securityWindow]. A pending
    /// change may be re-requested only to mark it as a locker removal (confirmable while locked).
    function _recordPendingChange(
        CustosStorage.Layout storage $,
        GuardianConfig calldata current,
        GuardianConfig calldata next,
        bytes32 nextHash,
        bytes32 key,
        bool lockerRemoval
    ) private {
        uint256 existing = $.pendingChanges[key];
        if (existing != 0 && (!lockerRemoval || existing & CustosStorage.LOCKER_REMOVAL != 0)) {
            revert ConfigChangeAlreadyPending(nextHash);
        }
        uint256 readyAt = block.timestamp + current.securityPeriod;
        uint256 expiresAt = readyAt + current.securityWindow;
        $.pendingChanges[key] =
            readyAt |
            (expiresAt << CustosStorage.BITPOS_EXPIRES_AT) |
            (lockerRemoval ? CustosStorage.LOCKER_REMOVAL : 0);
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

    /// @dev S6: counters never wrap.
    function _bump(uint256 counter) private pure returns (uint256) {
        if (counter >= CustosStorage.UINT24_MAX) revert CounterExhausted();
        return counter + 1;
    }

    /// @dev S4: `next` only removes guardians of `current` who locked the account in this epoch (or hold
    /// the running lock), lowers the threshold only as far as the removal needs, and keeps the delays.
    function _isLockerRemoval(
        CustosStorage.Layout storage $,
        GuardianConfig calldata current,
        GuardianConfig calldata next,
        uint256 epoch,
        uint256 lockedUntil
    ) private view returns (bool) {
        uint256 n = current.guardians.length;
        uint256 m = next.guardians.length;
        if (m >= n) return false;
        if (
            next.recoveryDelay != current.recoveryDelay ||
            next.securityPeriod != current.securityPeriod ||
            next.securityWindow != current.securityWindow ||
            next.lockPeriod != current.lockPeriod
        ) return false;
        uint256 threshold = current.threshold < m ? current.threshold : m;
        if (next.threshold != threshold) return false;
        address locker = lockedUntil > block.timestamp ? $.locker : address(0);
        uint256 j;
        // Bounded: at most MAX_GUARDIANS iterations (both lists were validated).
        for (uint256 i; i < n; ++i) {
            address guardian = current.guardians[i];
            if (j < m && next.guardians[j] == guardian) {
                ++j;
                continue;
            }
            uint256 record = $.guardianLocks[guardian];
            bool lockedThisEpoch = record != 0 && record >> CustosStorage.BITPOS_LOCK_EPOCH == epoch;
            if (!lockedThisEpoch && guardian != locker) return false;
        }
        return j == m;
    }

    function _applyConfig(
        CustosStorage.Layout storage $,
        GuardianConfig calldata config,
        bytes32 hash,
        uint256 epoch
    ) private {
        uint256 nextEpoch = _bump(epoch);
        $.epoch = uint24(nextEpoch);
        $.configHash = hash;
        _emitConfigApplied(nextEpoch, hash, config);
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

    /// @dev The hash of the configuration at `epoch` (the current one): the stored one once a change was
    /// confirmed, else the creation configuration's hash that CustosFactory appended to the proxy's code
    /// as an immutable argument. Gas: 32 bytes of code deposit (6,400) instead of a fresh storage slot
    /// (22,100) at creation, and at epoch 0 of a factory-made proxy the cold SLOAD of slot 1 (2,100) is
    /// skipped. Safe: proxy code cannot change, the factory initialises the account in the same
    /// transaction with the configuration hashing to those bytes, `_applyConfig` always stores a (never
    /// zero) keccak hash and bumps the epoch (checked, never wraps to 0), and `_initializeRecovery`
    /// rejects a configuration that differs from the proxy's immutable argument, so slot 1 is zero
    /// whenever epoch is 0 and the argument exists.
    function _configHashAt(CustosStorage.Layout storage $, uint256 epoch) private view returns (bytes32 hash) {
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

    /// @dev Reverts unless `config` is the configuration at `epoch` (the current one); returns its hash.
    function _requireConfigAt(uint256 epoch, GuardianConfig calldata config) private view returns (bytes32 supplied) {
        supplied = hashConfig(config);
        bytes32 expected = _configHashAt(CustosStorage.layout(), epoch);
        if (supplied != expected) revert ConfigMismatch(expected, supplied);
    }

    function _requireGuardian(GuardianConfig calldata config, uint256 index) private view {
        _requireConfigAt(CustosStorage.layout().epoch, config);
        if (index >= config.guardians.length || config.guardians[index] != msg.sender) revert NotGuardian(msg.sender);
    }

    /// @dev S1: the new owner must not be zero, the account, a guardian, or the current owner.
    /// Gas: the guardian words are compared in one assembly loop instead of bounds-checked, validated
    /// element reads (about 190 gas per guardian). Safe: every caller first checks `guardians` against
    /// the stored configuration hash (`_requireConfigAt`), which is computed over these very calldata
    /// words (ConfigHash), so each word is a clean, canonical address and the loop stays inside the array.
    function _requireValidNewOwner(address newOwner, address currentOwner, address[] calldata guardians) private view {
        bool rejected = newOwner == address(0) || newOwner == address(this) || newOwner == currentOwner;
        assembly ("memory-safe") {
            let candidate := and(newOwner, 0xffffffffffffffffffffffffffffffffffffffff)
            let end := add(guardians.offset, shl(5, guardians.length))
            for {
                let p := guardians.offset
            } lt(p, end) {
                p := add(p, 0x20)
            } {
                if eq(calldataload(p), candidate) {
                    rejected := 1
                    break
                }
            }
        }
        if (rejected) revert InvalidNewOwner(newOwner);
    }

    /// @dev Checks a configuration: sorted unique guardians that are neither zero, the account nor the
    /// owner; a reachable threshold; delays within the implementation's bounds with
    /// recoveryDelay >= securityPeriod + securityWindow.
    function _validateConfig(GuardianConfig calldata config, address owner_) private view {
        address[] calldata guardians = config.guardians;
        uint256 n = guardians.length;
        if (n > MAX_GUARDIANS) revert TooManyGuardians(n, MAX_GUARDIANS);
        // Gas: one assembly loop over the calldata words instead of bounds-checked, validated element reads
        // (about 190 gas per guardian). Safe: the same checks in the same order, with the same errors; a
        // word with dirty upper bits reverts without data, as Solidity's address validation does.
        assembly ("memory-safe") {
            let ownerWord := and(owner_, 0xffffffffffffffffffffffffffffffffffffffff)
            let previous := 0
            for {
                let i := 0
            } lt(i, n) {
                i := add(i, 1)
            } {
                let guardian := calldataload(add(guardians.offset, shl(5, i)))
                if shr(160, guardian) {
                    revert(0x00, 0x00)
                }
                if or(or(iszero(guardian), eq(guardian, address())), eq(guardian, ownerWord)) {
                    mstore(0x00, shl(224, 0xf38d406d)) // InvalidGuardian(address)
                    mstore(0x04, guardian)
                    revert(0x00, 0x24)
                }
                if iszero(gt(guardian, previous)) {
                    mstore(0x00, shl(224, 0x4f664f62)) // GuardiansNotSorted(uint256)
                    mstore(0x04, i)
                    revert(0x00, 0x24)
                }
                previous := guardian
            }
        }
        if (n == 0 ? config.threshold != 0 : (config.threshold == 0 || config.threshold > n)) {
            revert InvalidThreshold(config.threshold, n);
        }
        _checkBound(Delay.Recovery, config.recoveryDelay, _MIN_RECOVERY_DELAY, _MAX_RECOVERY_DELAY);
        _checkBound(Delay.SecurityPeriod, config.securityPeriod, _MIN_SECURITY_PERIOD, _MAX_SECURITY_PERIOD);
        _checkBound(Delay.SecurityWindow, config.securityWindow, _MIN_SECURITY_WINDOW, _MAX_SECURITY_WINDOW);
        _checkBound(Delay.LockPeriod, config.lockPeriod, _MIN_LOCK_PERIOD, _MAX_LOCK_PERIOD);
        uint256 minimum = config.securityPeriod + config.securityWindow;
        if (config.recoveryDelay < minimum) revert RecoveryDelayTooShort(config.recoveryDelay, minimum);
    }

    function _checkBound(Delay which, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert DelayOutOfBounds(which, value, min, max);
    }

    /// @dev Pending changes are keyed by epoch AND recovery nonce: any applied configuration, rotation or
    /// recovery (which bumps the epoch), and any cancelled recovery (which bumps the nonce), voids them
    /// (S1: starting a recovery voids every pending change, so cancelling it revives none).
    function _changeKey(uint256 epoch, uint256 nonce, bytes32 nextHash) private pure returns (bytes32) {
        return keccak256(abi.encode(epoch, nonce, nextHash));
    }
}
