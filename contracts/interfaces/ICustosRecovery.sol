// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A guardian configuration. Only its hash is stored on-chain; the full value travels in
/// calldata and in the `ConfigApplied`/`ConfigChangeRequested` events, from which it can be rebuilt.
/// @param guardians Guardian addresses, strictly ascending (sorted, no duplicates), at most 16.
/// @param threshold Approvals needed to recover: 1..guardians.length, or 0 when there are no guardians.
/// @param recoveryDelay Seconds between the start of a recovery and the moment it can be executed.
/// @param securityPeriod Seconds before a requested configuration change can be confirmed.
/// @param securityWindow Seconds, after the security period, during which the change can be confirmed.
/// @param lockPeriod Seconds a guardian lock lasts unless a guardian lifts it earlier.
struct GuardianConfig {
    address[] guardians;
    uint256 threshold;
    uint256 recoveryDelay;
    uint256 securityPeriod;
    uint256 securityWindow;
    uint256 lockPeriod;
}

/// @notice Immutable bounds on the delays of a configuration, fixed per implementation deployment.
struct DelayBounds {
    uint32 minRecoveryDelay;
    uint32 maxRecoveryDelay;
    uint32 minSecurityPeriod;
    uint32 maxSecurityPeriod;
    uint32 minSecurityWindow;
    uint32 maxSecurityWindow;
    uint32 minLockPeriod;
    uint32 maxLockPeriod;
}

/// @notice Immutable caps on the gas fields of UserOperations the owner did not sign (recovery start,
/// execute and cancel), fixed per implementation deployment (rule S13). They bound what guardians
/// acting as their own bundler can make the account pay: at most
/// `(maxVerificationGasLimit + maxCallGasLimit + maxPreVerificationGas) * min(maxFeePerGas, basefee +
/// maxPriorityFeePerGas)` per operation, plus the EntryPoint's 10 % penalty on unused call gas.
/// @param minCallGasLimit The least call gas such an operation must carry, enough for its execution
/// to complete: validation checks everything execution needs, so execution never fails.
struct GasCaps {
    uint32 maxVerificationGasLimit;
    uint32 maxCallGasLimit;
    uint32 minCallGasLimit;
    uint32 maxPreVerificationGas;
    uint64 maxPriorityFeePerGas;
    uint64 maxFeePerGas;
}

/// @title Custos guardian recovery interface
/// @notice Errors, events and every entry point of the guardian-based recovery, lock, delayed
/// configuration and signer rotation of a Custos account (rules S1–S7, S11–S14).
interface ICustosRecovery {
    /// @notice Names the delay of a configuration that is out of bounds.
    enum Delay {
        Recovery,
        SecurityPeriod,
        SecurityWindow,
        LockPeriod
    }

    // ------------------------------------------------------------------ errors

    /// @dev The caller is neither the owner, the account itself nor the EntryPoint.
    error Unauthorized(address caller);
    /// @dev The account is locked by a guardian until `until`.
    error AccountLocked(uint256 until);
    /// @dev A recovery is pending, so the owner key is frozen.
    error RecoveryPending();
    /// @dev No recovery is pending.
    error NoRecoveryPending();
    /// @dev The pending recovery can be executed only at `executeAfter`.
    error RecoveryNotExecutable(uint256 executeAfter);
    /// @dev The account was already initialised.
    error AlreadyInitialized();
    /// @dev The supplied configuration does not hash to the stored one.
    error ConfigMismatch(bytes32 expected, bytes32 supplied);
    /// @dev `guardian` is zero, the account, or the owner.
    error InvalidGuardian(address guardian);
    /// @dev Guardians are not strictly ascending at `index` (unsorted or duplicate).
    error GuardiansNotSorted(uint256 index);
    /// @dev More than the maximum number of guardians.
    error TooManyGuardians(uint256 count, uint256 max);
    /// @dev The threshold cannot be met by `guardianCount` guardians, or is zero with guardians.
    error InvalidThreshold(uint256 threshold, uint256 guardianCount);
    /// @dev The delay `which` is outside the implementation's bounds.
    error DelayOutOfBounds(Delay which, uint256 value, uint256 min, uint256 max);
    /// @dev recoveryDelay must be at least securityPeriod + securityWindow.
    error RecoveryDelayTooShort(uint256 recoveryDelay, uint256 minimum);
    /// @dev The new owner is zero, the account, a guardian, or the current owner.
    error InvalidNewOwner(address newOwner);
    /// @dev The approvals expired at `deadline`.
    error ApprovalExpired(uint256 deadline);
    /// @dev A deadline of 0 is invalid (the EntryPoint would read it as "no expiry").
    error InvalidDeadline(uint256 deadline);
    /// @dev The signature blob is empty.
    error EmptySignatures();
    /// @dev The signature blob ends inside an entry, or has bytes after its last entry.
    error MalformedSignatures(uint256 offset);
    /// @dev Signer indexes are not strictly ascending at entry `entry` (unsorted or duplicate).
    error SignersNotSorted(uint256 entry);
    /// @dev Signer index `index` is not a current guardian (nor the owner where the owner may sign).
    error UnknownSigner(uint256 index);
    /// @dev The signature of signer `signer` is invalid (bad length, high s, wrong signer, 1271 refusal).
    error InvalidSignature(address signer);
    /// @dev A UserOperation carries an ERC-1271 signature of contract guardian `guardian`: validation
    /// never runs guardian code (S14), so contract guardians approve on-chain first.
    error ContractGuardianMustApproveOnChain(address guardian);
    /// @dev `count` valid approvals, `required` needed.
    error NotEnoughApprovals(uint256 count, uint256 required);
    /// @dev The guardian at `index` already approved this request.
    error AlreadyApproved(uint256 index);
    /// @dev The caller is not the guardian at `index` of the current configuration.
    error NotGuardian(address caller);
    /// @dev The account is not locked.
    error NotLocked();
    /// @dev The account is already locked until `until`; a running lock cannot be extended.
    error AlreadyLocked(uint256 until);
    /// @dev `guardian`'s last lock ended too recently; it may lock again from `availableAt`.
    error LockCooldown(address guardian, uint256 availableAt);
    /// @dev While locked, the only configuration change allowed removes guardians who locked the
    /// account since its configuration last changed, keeping everything else.
    error OnlyLockerRemovalWhileLocked(uint256 lockedUntil);
    /// @dev No pending configuration change with this hash at the current epoch.
    error NoPendingConfigChange(bytes32 configHash);
    /// @dev The configuration change is already pending.
    error ConfigChangeAlreadyPending(bytes32 configHash);
    /// @dev The configuration change can be confirmed only in [readyAt, expiresAt].
    error ConfigChangeNotConfirmable(uint256 readyAt, uint256 expiresAt);
    /// @dev The requested configuration equals the current one.
    error ConfigUnchanged();
    /// @dev Another guardian-driven UserOperation of this account was validated and awaits execution
    /// in the same bundle (S13: at most one is paid for).
    error OperationInFlight();
    /// @dev The validated state changed before execution (an earlier operation of the bundle).
    error StaleValidation();
    /// @dev The recovery nonce or the configuration epoch reached its maximum; counters never wrap.
    error CounterExhausted();

    // ------------------------------------------------------------------ events

    /// @notice A configuration became the account's configuration (at creation or on confirmation).
    event ConfigApplied(
        uint256 indexed epoch,
        bytes32 indexed configHash,
        address[] guardians,
        uint256 threshold,
        uint256 recoveryDelay,
        uint256 securityPeriod,
        uint256 securityWindow,
        uint256 lockPeriod
    );
    /// @notice The owner requested a configuration change, confirmable in [readyAt, expiresAt].
    event ConfigChangeRequested(
        uint256 indexed epoch,
        bytes32 indexed configHash,
        address[] guardians,
        uint256 threshold,
        uint256 recoveryDelay,
        uint256 securityPeriod,
        uint256 securityWindow,
        uint256 lockPeriod,
        uint256 readyAt,
        uint256 expiresAt
    );
    /// @notice The owner cancelled a pending configuration change.
    event ConfigChangeCancelled(uint256 indexed epoch, bytes32 indexed configHash);
    /// @notice The owner key changed. `reason`: 0 creation, 1 recovery, 2 rotation.
    event OwnerChanged(address indexed previousOwner, address indexed newOwner, uint8 reason);
    /// @notice A guardian locked the account until `until`.
    event Locked(address indexed guardian, uint256 until);
    /// @notice The lock was lifted: by a guardian, or by the account itself when a recovery was
    /// executed or the owner rotated the signer.
    event Unlocked(address indexed by);
    /// @notice A guardian approval for a recovery to `newOwner` was recorded on-chain.
    event RecoveryApproved(bytes32 indexed approvalHash, address indexed guardian, address indexed newOwner);
    /// @notice A guardian approval to cancel the pending recovery was recorded on-chain.
    event CancelApproved(bytes32 indexed approvalHash, address indexed guardian);
    /// @notice A recovery to `newOwner` started; it can be executed from `executeAfter`.
    event RecoveryStarted(uint256 indexed nonce, address indexed newOwner, uint256 executeAfter, uint256 guardianCount);
    /// @notice The pending recovery was cancelled by a quorum.
    event RecoveryCancelled(uint256 indexed nonce, address indexed newOwner);
    /// @notice The pending recovery was executed.
    event RecoveryExecuted(uint256 indexed nonce, address indexed previousOwner, address indexed newOwner);

    // ------------------------------------------------------------------ views

    /// @notice The current owner (signer) key.
    function owner() external view returns (address);

    /// @notice Packed state: owner, lock expiry, whether a recovery is pending, configuration epoch and
    /// recovery nonce.
    function accountState()
        external
        view
        returns (address owner_, uint256 lockedUntil, bool recovering, uint256 epoch, uint256 nonce);

    /// @notice Hash of the current guardian configuration.
    function configHash() external view returns (bytes32);

    /// @notice The pending recovery, if any.
    function pendingRecovery() external view returns (address newOwner, uint256 executeAfter, uint256 guardianCount);

    /// @notice The guardian holding the current (or last) lock, and when `guardian` last locked: the end
    /// of its last lock (0 if never) and the configuration epoch it locked in.
    function lockRecord(
        address guardian
    ) external view returns (address currentLocker, uint256 lastLockEnd, uint256 lockedInEpoch);

    /// @notice The confirmation window of a pending configuration change at the current epoch and
    /// recovery nonce, or zeros.
    function pendingConfigChange(bytes32 nextConfigHash) external view returns (uint256 readyAt, uint256 expiresAt);

    /// @notice Bitmap of guardian indexes that approved the request `digest` (recovery or cancel) on-chain.
    function recoveryApprovals(bytes32 digest) external view returns (uint256);

    /// @notice The implementation's immutable delay bounds.
    function delayBounds() external view returns (DelayBounds memory);

    /// @notice The implementation's immutable caps on guardian-driven UserOperations (S13).
    function gasCaps() external view returns (GasCaps memory);

    /// @notice Hash that a configuration is stored as.
    function hashConfig(GuardianConfig calldata config) external pure returns (bytes32);

    /// @notice EIP-712 digest a guardian signs to approve a recovery to `newOwner` (current nonce/epoch).
    function recoveryDigest(address newOwner, uint256 deadline) external view returns (bytes32);

    /// @notice EIP-712 digest a guardian signs to approve the owner's rotation to `newOwner`.
    function rotationDigest(address newOwner, uint256 deadline) external view returns (bytes32);

    /// @notice EIP-712 digest the owner and guardians sign to cancel the pending recovery.
    function cancelDigest(uint256 deadline) external view returns (bytes32);

    /// @notice Reverts with the reason a `startRecovery` UserOperation with these arguments would fail,
    /// ignoring the deadline's expiry (the EntryPoint enforces it as `validUntil`); returns the
    /// earliest time (exclusive) an account-paid start may run. Used by UserOperation validation.
    /// @dev Never calls guardian code: ERC-1271 entries are rejected, on-chain approvals count.
    function checkStartRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external view returns (uint256 validAfter);

    /// @notice Reverts with the reason a `cancelRecovery` UserOperation with these arguments would fail,
    /// ignoring the deadline's expiry. Used by UserOperation validation.
    function checkCancelRecovery(
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external view;

    // ------------------------------------------------------------------ guardians

    /// @notice Locks the account for the configured lock period (device lost or stolen).
    /// @dev S4: any single current guardian; never while a lock holds (a running lock cannot be
    /// extended), and not before `securityPeriod + securityWindow` after that guardian's last lock
    /// ended. While locked, owner-signed operations, ERC-1271 signatures, guardian additions and
    /// upgrades are rejected; recovery proceeds.
    /// @param index The caller's index in `config.guardians`.
    function lock(GuardianConfig calldata config, uint256 index) external;

    /// @notice Lifts a guardian lock before it expires.
    /// @dev Any single current guardian; reverts when the account is not locked.
    function unlock(GuardianConfig calldata config, uint256 index) external;

    /// @notice Starts a recovery to `newOwner` with `threshold` guardian approvals.
    /// @dev S1, S7, S8: anyone may submit. Approvals are EIP-712 signatures of
    /// `recoveryDigest(newOwner, deadline)` in the blob (strictly parsed), plus approvals recorded
    /// on-chain. Voids every pending configuration change. As a UserOperation it is validated by the
    /// approvals and the new owner's signature, within the gas caps (S13), and at most once per
    /// recovery delay is paid by the account.
    function startRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external;

    /// @notice Records the caller's approval of a recovery to `newOwner` on-chain; starts the recovery
    /// once `threshold` approvals are recorded.
    /// @dev S14: how contract guardians (a Safe, a multisig, another Custos account) approve, so that
    /// UserOperation validation never runs their code.
    /// @param index The caller's index in `config.guardians`.
    function approveRecovery(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        uint256 index
    ) external;

    /// @notice Records one or more signed guardian approvals on-chain (relayed by anyone); starts the
    /// recovery once `threshold` approvals are recorded.
    function submitRecoveryApprovals(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external;

    /// @notice Executes the pending recovery from `executeAfter` on: `newOwner` becomes the owner.
    /// @dev Anyone may submit; as a UserOperation, signed by the new owner and valid from
    /// `executeAfter` (S1). Lifts any lock (emitting `Unlocked`), and bumps the recovery nonce and the
    /// configuration epoch, which voids every outstanding approval and pending configuration change.
    function executeRecovery() external;

    /// @notice Cancels the pending recovery with a quorum of ⌈(n+1)/2⌉ approvals drawn from the owner
    /// and the guardians (n = guardian count when the recovery started).
    /// @dev S3: anyone may submit. Signatures are over `cancelDigest(deadline)` (the owner signs with
    /// index 255); approvals recorded with `approveCancel` count too. As a UserOperation the owner must
    /// also sign the operation, and its execution reverts `StaleValidation` when an earlier operation of
    /// the bundle ended the recovery it was validated for.
    function cancelRecovery(uint256 deadline, GuardianConfig calldata config, bytes calldata signatures) external;

    /// @notice Records the caller's approval to cancel the pending recovery on-chain; cancels it once
    /// the quorum is recorded.
    /// @dev S14: how contract guardians co-sign a cancel.
    /// @param index The caller's index in `config.guardians`.
    function approveCancel(uint256 deadline, GuardianConfig calldata config, uint256 index) external;

    // ------------------------------------------------------------------ owner

    /// @notice Replaces the owner key, keeping the address: with approvals of ⌈n/2⌉ guardians over
    /// `rotationDigest(newOwner, deadline)`, or by the owner alone when there are no guardians.
    /// @dev S12: owner only, never while recovering; works while locked and lifts the lock. Bumps nonce
    /// and epoch: pending configuration changes and outstanding approvals become useless.
    function rotateOwner(
        address newOwner,
        uint256 deadline,
        GuardianConfig calldata config,
        bytes calldata signatures
    ) external;

    /// @notice Requests a new guardian configuration (guardians, threshold, delays).
    /// @dev S5: owner only, not while recovering. Takes effect on `confirmConfigChange` between
    /// `securityPeriod` and `securityPeriod + securityWindow` from now; immediate when the account has
    /// no guardians yet. While locked (S4), only a change that removes guardians who locked the account
    /// since its configuration last changed (threshold lowered only as far as the removal needs).
    function requestConfigChange(GuardianConfig calldata current, GuardianConfig calldata next) external;

    /// @notice Confirms a pending configuration change inside its window.
    /// @dev Owner only, not while recovering; while locked only a locker-removal change. Bumps the
    /// epoch, which voids outstanding approvals and every other pending change.
    function confirmConfigChange(GuardianConfig calldata next) external;

    /// @notice Cancels a pending configuration change.
    /// @dev Owner only, not while locked or recovering.
    function cancelConfigChange(bytes32 nextConfigHash) external;
}
