// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The EIP-712 domain and messages of a Custos account, in one place
/// @notice Name "Custos", version "1", the account's chain id and address. Guardians sign
/// `Recovery`, `Rotation` and `CancelRecovery` approvals (rule S6); the owner signs `CustosMessage`
/// wrappers for ERC-1271.
library CustosTypedData {
    string internal constant NAME = "Custos";
    string internal constant VERSION = "1";

    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant HASHED_NAME = keccak256(bytes(NAME));
    bytes32 internal constant HASHED_VERSION = keccak256(bytes(VERSION));

    bytes32 internal constant RECOVERY_TYPEHASH = keccak256(
        "Recovery(address newOwner,uint256 nonce,uint256 epoch,uint256 deadline)"
    );
    bytes32 internal constant ROTATION_TYPEHASH = keccak256(
        "Rotation(address newOwner,uint256 nonce,uint256 epoch,uint256 deadline)"
    );
    bytes32 internal constant CANCEL_TYPEHASH = keccak256(
        "CancelRecovery(address newOwner,uint256 nonce,uint256 epoch,uint256 deadline)"
    );
    bytes32 internal constant MESSAGE_TYPEHASH = keccak256("CustosMessage(bytes32 hash)");

    /// @dev The EIP-712 digest of an approval `typehash(newOwner, nonce, epoch, deadline)` for this
    /// account on this chain.
    /// Gas: the domain separator, the struct hash and the digest are built in scratch memory with
    /// constant name/version hashes. Through a proxy OpenZeppelin's `_domainSeparatorV4` misses its
    /// cache (it belongs to the implementation's address) and rebuilds the separator with `abi.encode`
    /// on every call; this hashes the same bytes without the encoder. Safe: the bytes are exactly those
    /// of OpenZeppelin's `_buildDomainSeparator`, `abi.encode(typehash, newOwner, nonce, epoch,
    /// deadline)` and `toTypedDataHash` (the tests sign these digests off-chain as EIP-712 typed data);
    /// memory past the free pointer is scratch only and the free memory pointer is restored.
    function approvalDigest(
        bytes32 typehash,
        address newOwner,
        uint256 nonce,
        uint256 epoch,
        uint256 deadline
    ) internal view returns (bytes32 result) {
        bytes32 domain = domainSeparator();
        assembly ("memory-safe") {
            let m := mload(0x40)
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

    /// @dev The EIP-712 digest the owner signs for an ERC-1271 signature of `hash`.
    function messageDigest(bytes32 hash) internal view returns (bytes32 result) {
        bytes32 domain = domainSeparator();
        bytes32 typehash = MESSAGE_TYPEHASH;
        assembly ("memory-safe") {
            mstore(0x00, typehash)
            mstore(0x20, hash)
            let structHash := keccak256(0x00, 0x40)
            let m := mload(0x40)
            mstore(0x00, 0x1901)
            mstore(0x20, domain)
            mstore(0x40, structHash)
            result := keccak256(0x1e, 0x42)
            mstore(0x40, m)
        }
    }

    /// @dev The account's EIP-712 domain separator (this chain, this address).
    function domainSeparator() internal view returns (bytes32 domain) {
        bytes32 domainTypehash = DOMAIN_TYPEHASH;
        bytes32 hashedName = HASHED_NAME;
        bytes32 hashedVersion = HASHED_VERSION;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, domainTypehash)
            mstore(add(m, 0x20), hashedName)
            mstore(add(m, 0x40), hashedVersion)
            mstore(add(m, 0x60), chainid())
            mstore(add(m, 0x80), address())
            domain := keccak256(m, 0xa0)
        }
    }
}
