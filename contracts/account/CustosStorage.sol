// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Custos account storage (ERC-7201 namespace `custos.account.v2`)
/// @notice All mutable state of a Custos account lives in one namespaced struct so upgrades cannot
/// collide with it. The two packed words are laid out here, once, with named bit positions.
/// @dev Gas: owner, lock expiry, recovery flag, configuration epoch and recovery nonce share slot 0,
/// so validating an owner UserOperation reads exactly one storage slot. The guardian configuration is
/// stored as a single hash (slot 1); the full list travels in calldata and events, which makes account
/// creation with N guardians cost no SSTORE for it (see GuardianRecovery._currentConfigHash).
///
/// Slot 0 (`Layout.owner` … `Layout.nonce`), bits:
///   [0..159]    owner
///   [160..199]  lockedUntil      (uint40, 0 when not locked)
///   [200..207]  recovering       (bool)
///   [208..231]  epoch            (uint24, bumped by every applied configuration, recovery, rotation)
///   [232..255]  nonce            (uint24, bumped when a recovery ends and by rotation)
///
/// Slot 2 (`Layout.recovery`), bits:
///   [0..159]    recoveryOwner    the pending (or, in flight, the proposed) new owner
///   [160..199]  executeAfter     (uint40) while recovering; while a start is in flight, the epoch
///   [200..207]  guardianCount    (uint8)  and nonce it was validated at ([160..183] epoch, [184..207] nonce)
///   [208]       inFlight         a guardian-driven UserOperation was validated and awaits execution
///   [216..255]  lastPaidStart    (uint40) when the account last paid for a recovery start (S13)
library CustosStorage {
    /// @custom:storage-location erc7201:custos.account.v2
    struct Layout {
        // slot 0 — read by every UserOperation validation (see the bits layout above)
        address owner;
        uint40 lockedUntil;
        bool recovering;
        uint24 epoch;
        uint24 nonce;
        // slot 1 — zero until the first confirmed change: the creation configuration's hash is the
        // proxy's immutable argument (see GuardianRecovery._currentConfigHash)
        bytes32 configHash;
        // slot 2 — the pending recovery, packed (see the bits layout above)
        uint256 recovery;
        // slot 3 — the guardian holding the current (or last) lock, and how many owner operations exempt
        // from it (rotation, configuration changes) the account has paid for under the lock ending at
        // `exemptionsLock` (S4, S13: see CustosAccount._validateLockExemptOp)
        address locker;
        uint40 exemptionsLock;
        uint8 exemptions;
        // keccak256(epoch, nonce, configHash) => readyAt | expiresAt << 40 | lockerRemoval << 80
        mapping(bytes32 changeKey => uint256 window) pendingChanges;
        // EIP-712 digest of a recovery or cancel request => bitmap of guardian indexes that approved on-chain
        mapping(bytes32 digest => uint256 bitmap) approvals;
        // guardian => end of its last lock | epoch it locked in << 40
        mapping(address guardian => uint256 record) guardianLocks;
    }

    // keccak256(abi.encode(uint256(keccak256("custos.account.v2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x5bf0ab5b7416beb9542a7c37c3216e990b5c3365e15587fc196ab3eaec00ce00;
    /// @dev Slot 2, `Layout.recovery`.
    bytes32 internal constant RECOVERY_SLOT = bytes32(uint256(SLOT) + 2);

    uint256 internal constant ADDRESS_MASK = (1 << 160) - 1;
    uint256 internal constant UINT24_MAX = (1 << 24) - 1;

    // slot 0
    uint256 internal constant BITPOS_LOCKED_UNTIL = 160;
    uint256 internal constant BITPOS_RECOVERING = 200;
    uint256 internal constant BITPOS_EPOCH = 208;
    uint256 internal constant BITPOS_NONCE = 232;

    // slot 2
    uint256 internal constant BITPOS_EXECUTE_AFTER = 160;
    uint256 internal constant BITPOS_GUARDIAN_COUNT = 200;
    uint256 internal constant BITPOS_VALIDATED_EPOCH_NONCE = 160; // 48 bits while a start is in flight
    uint256 internal constant BITPOS_IN_FLIGHT = 208;
    uint256 internal constant BITPOS_LAST_PAID_START = 216;
    uint256 internal constant IN_FLIGHT = 1 << BITPOS_IN_FLIGHT;
    /// @dev The bits of slot 2 that survive the end of a recovery.
    uint256 internal constant KEEP_ON_CLEAR = ((1 << 40) - 1) << BITPOS_LAST_PAID_START;

    // pendingChanges values
    uint256 internal constant BITPOS_EXPIRES_AT = 40;
    uint256 internal constant LOCKER_REMOVAL = 1 << 80;

    // guardianLocks values
    uint256 internal constant BITPOS_LOCK_EPOCH = 40;

    /// @dev Returns the account's storage struct.
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := SLOT
        }
    }

    /// @dev Slot 0 as one word (the compiler would reload the packed slot for every field read).
    function loadSlot0() internal view returns (uint256 word) {
        bytes32 slot = SLOT;
        assembly ("memory-safe") {
            word := sload(slot)
        }
    }

    /// @dev Writes slot 0 as one word.
    function storeSlot0(uint256 word) internal {
        bytes32 slot = SLOT;
        assembly ("memory-safe") {
            sstore(slot, word)
        }
    }

    /// @dev Slot 0's fields: owner, lock expiry, recovery flag, epoch, nonce.
    function unpackSlot0(
        uint256 word
    ) internal pure returns (address owner, uint256 lockedUntil, bool recovering, uint256 epoch, uint256 nonce) {
        owner = address(uint160(word));
        lockedUntil = uint40(word >> BITPOS_LOCKED_UNTIL);
        recovering = uint8(word >> BITPOS_RECOVERING) != 0;
        epoch = uint24(word >> BITPOS_EPOCH);
        nonce = word >> BITPOS_NONCE;
    }

    /// @dev Slot 0 from its fields.
    function packSlot0(
        address owner,
        uint256 lockedUntil,
        bool recovering,
        uint256 epoch,
        uint256 nonce
    ) internal pure returns (uint256) {
        return
            uint256(uint160(owner)) |
            (uint256(uint40(lockedUntil)) << BITPOS_LOCKED_UNTIL) |
            ((recovering ? uint256(1) : 0) << BITPOS_RECOVERING) |
            (uint256(uint24(epoch)) << BITPOS_EPOCH) |
            (uint256(uint24(nonce)) << BITPOS_NONCE);
    }

    /// @dev The pending recovery's fields from slot 2.
    function unpackRecovery(
        uint256 word
    ) internal pure returns (address newOwner, uint256 executeAfter, uint256 guardianCount) {
        newOwner = address(uint160(word));
        executeAfter = uint40(word >> BITPOS_EXECUTE_AFTER);
        guardianCount = uint8(word >> BITPOS_GUARDIAN_COUNT);
    }
}
