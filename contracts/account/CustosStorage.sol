// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Custos account storage (ERC-7201 namespace `custos.account.v1`)
/// @notice All mutable state of a Custos account lives in one namespaced struct so upgrades cannot
/// collide with it.
/// @dev Gas: `owner`, the lock expiry, the recovery flag, the configuration epoch and the recovery
/// nonce share slot 0, so validating a UserOperation reads exactly one storage slot. The guardian
/// configuration is stored as a single hash (slot 1); the full list travels in calldata and events,
/// which makes account creation with N guardians cost one SSTORE instead of N + 1.
library CustosStorage {
    /// @custom:storage-location erc7201:custos.account.v1
    struct Layout {
        // slot 0 — read by every UserOperation validation
        address owner;
        uint40 lockedUntil;
        bool recovering;
        uint24 epoch;
        uint24 nonce;
        // slot 1 — zero until the first confirmed change: the creation configuration's hash is the
        // proxy's immutable argument (see GuardianRecovery._currentConfigHash)
        bytes32 configHash;
        // slot 2 — the pending recovery, zero when none
        address recoveryOwner;
        uint40 executeAfter;
        uint8 recoveryGuardianCount;
        // keccak256(epoch, configHash) => readyAt | expiresAt << 40
        mapping(bytes32 changeKey => uint256 window) pendingChanges;
        // EIP-712 digest of a recovery request => bitmap of guardian indexes that approved on-chain
        mapping(bytes32 digest => uint256 bitmap) approvals;
    }

    // keccak256(abi.encode(uint256(keccak256("custos.account.v1")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x770be1c85de78491b97a7b8fc85bc76cdd2354fcc69656e07e90c3bfc9860b00;

    /// @dev Returns the account's storage struct.
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := SLOT
        }
    }
}
