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

/// @title Custos guardian recovery interface
/// @notice Errors, events and entry points of the guardian-based recovery of a Custos account.
interface ICustosRecovery {
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
    /// @dev A delay is outside the implementation's bounds. `which`: 0 recovery, 1 security period,
    /// 2 security window, 3 lock period.
    error DelayOutOfBounds(uint8 which, uint256 value, uint256 min, uint256 max);
    /// @dev recoveryDelay must be at least securityPeriod + securityWindow.
    error RecoveryDelayTooShort(uint256 recoveryDelay, uint256 minimum);
    /// @dev The new owner is zero, the account, a guardian, or the current owner.
    error InvalidNewOwner(address newOwner);
    /// @dev The approvals expired at `deadline`.
    error ApprovalExpired(uint256 deadline);
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
    /// @dev `count` valid approvals, `required` needed.
    error NotEnoughApprovals(uint256 count, uint256 required);
    /// @dev The guardian at `index` already approved this request.
    error AlreadyApproved(uint256 index);
    /// @dev The caller is not the guardian at `index` of the current configuration.
    error NotGuardian(address caller);
    /// @dev The account is not locked.
    error NotLocked();
    /// @dev No pending configuration change with this hash at the current epoch.
    error NoPendingConfigChange(bytes32 configHash);
    /// @dev The configuration change is already pending.
    error ConfigChangeAlreadyPending(bytes32 configHash);
    /// @dev The configuration change can be confirmed only in [readyAt, expiresAt].
    error ConfigChangeNotConfirmable(uint256 readyAt, uint256 expiresAt);
    /// @dev The requested configuration equals the current one.
    error ConfigUnchanged();

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
    /// @notice A guardian lifted the lock.
    event Unlocked(address indexed guardian);
    /// @notice A guardian approval for a recovery to `newOwner` was recorded on-chain.
    event RecoveryApproved(bytes32 indexed approvalHash, address indexed guardian, address indexed newOwner);
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
}
