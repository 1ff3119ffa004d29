// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ICustosRecovery} from "../interfaces/ICustosRecovery.sol";

/// @title Strict parser of aggregated guardian signatures (rule S7)
/// @notice A blob is a concatenation of entries `index (1 byte) | kind (1 byte) | length (2 bytes) |
/// signature (length bytes)`. `index` points into the current (sorted) guardian list, or is
/// `OWNER_INDEX` for the owner where the owner may sign; indexes must be strictly ascending, so the
/// signers arrive sorted by address without duplicates. `kind` 0 is a 65-byte ECDSA signature with
/// low s; kind 1 is an ERC-1271 signature checked by calling the guardian. Every entry must be valid
/// and the blob must end exactly after the last entry: an empty, truncated or padded blob, or one bad
/// entry, reverts instead of being counted as fewer approvals.
library GuardianSignatures {
    /// @dev Signer index that designates the account owner (used by the cancel quorum).
    uint256 internal constant OWNER_INDEX = 255;
    uint256 internal constant KIND_ECDSA = 0;
    uint256 internal constant KIND_ERC1271 = 1;
    uint256 private constant HEADER_LENGTH = 4;
    /// @dev Carried in bit 254 of `_verify`'s `approved` word (254 is never a signer index: only 0..15
    /// and OWNER_INDEX are, and 254 reverts as an unknown signer first).
    uint256 private constant ALLOW_CONTRACTS = 1 << 254;

    /// @notice Verifies every entry of `blob` against `digest`.
    /// @param guardians The current guardian list (already checked against the stored hash).
    /// @param owner The owner if it may sign, or address(0).
    /// @param seen Bitmap of indexes that already approved (on-chain); signing again reverts.
    /// @param allowContracts Whether ERC-1271 entries may be checked by calling the guardian. False in
    /// UserOperation validation (S14): validation never runs another contract's code, so there a
    /// contract guardian's entry reverts with `ContractGuardianMustApproveOnChain`.
    /// @return bitmap Bitmap of the indexes whose signatures were verified (bit 255 = owner).
    /// @dev Per entry, in this order: a truncated header or body reverts `MalformedSignatures(offset)`,
    /// an index naming no guardian (nor the owner where allowed) `UnknownSigner`, an index already
    /// approved (on-chain or earlier in the blob) `AlreadyApproved`, an ERC-1271 entry where contracts
    /// may not be called `ContractGuardianMustApproveOnChain`, a bad signature `InvalidSignature`, and an
    /// index not above every earlier one `SignersNotSorted(entry)`.
    /// Gas: the header, the bounds and the signer are handled in one assembly block per entry instead of
    /// bounds-checked slices, calldata array reads and three internal calls (about 1,100 gas per entry).
    /// Safe: the header's four bytes and the body are checked to lie inside the blob before use; the
    /// guardian word is read only for an index below the array's length, and the array is the current
    /// configuration, checked by every caller against the stored hash of these very calldata words (so
    /// each word is a canonical address). Earlier entries each set one new bit (a repeated index reverts
    /// as already approved), so the entry number is the count of bits set so far, and "index not above
    /// every earlier one" is "a bit at or above index is set".
    function verify(
        bytes32 digest,
        address[] calldata guardians,
        address owner,
        bytes calldata blob,
        uint256 seen,
        bool allowContracts
    ) internal view returns (uint256 bitmap) {
        if (blob.length == 0) revert ICustosRecovery.EmptySignatures();
        return _verify(digest, guardians, owner, blob, allowContracts ? seen | ALLOW_CONTRACTS : seen);
    }

    /// @dev `verify`'s loop; `approved` carries ALLOW_CONTRACTS.
    function _verify(
        bytes32 digest,
        address[] calldata guardians,
        address owner,
        bytes calldata blob,
        uint256 approved
    ) private view returns (uint256 bitmap) {
        uint256 offset;
        // Bounded: indexes strictly increase and must name one of at most 16 guardians or the owner.
        while (offset < blob.length) {
            uint256 index;
            (index, offset) = _verifyEntry(digest, guardians, owner, blob, offset, approved | bitmap);
            if (bitmap >> index != 0) revert ICustosRecovery.SignersNotSorted(count(bitmap));
            bitmap |= 1 << index;
        }
    }

    /// @dev Verifies the entry at `offset` (`approved`: indexes already counted, plus ALLOW_CONTRACTS);
    /// returns its signer index and the offset of the next entry. One assembly block reads and checks the
    /// header, the bounds, the signer and the approvals; then the signature is checked by its kind.
    function _verifyEntry(
        bytes32 digest,
        address[] calldata guardians,
        address owner,
        bytes calldata blob,
        uint256 offset,
        uint256 approved
    ) private view returns (uint256 index, uint256 end) {
        address signer;
        uint256 kindLength; // kind << 16 | length
        assembly ("memory-safe") {
            function fail(selector, value) {
                mstore(0x00, shl(224, selector))
                mstore(0x04, value)
                revert(0x00, 0x24)
            }
            if gt(add(offset, HEADER_LENGTH), blob.length) {
                fail(0x2208c629, offset) // MalformedSignatures(uint256)
            }
            kindLength := shr(224, calldataload(add(blob.offset, offset)))
            index := shr(24, kindLength)
            kindLength := and(kindLength, 0xffffff)
            end := add(add(offset, HEADER_LENGTH), and(kindLength, 0xffff))
            if gt(end, blob.length) {
                fail(0x2208c629, offset) // MalformedSignatures(uint256)
            }
            switch lt(index, guardians.length)
            case 1 {
                signer := calldataload(add(guardians.offset, shl(5, index)))
            }
            default {
                signer := and(owner, 0xffffffffffffffffffffffffffffffffffffffff)
                if iszero(and(eq(index, OWNER_INDEX), iszero(iszero(signer)))) {
                    fail(0xbda62c23, index) // UnknownSigner(uint256)
                }
            }
            if and(approved, shl(index, 1)) {
                fail(0xbc6974e1, index) // AlreadyApproved(uint256)
            }
            if and(eq(shr(16, kindLength), KIND_ERC1271), iszero(and(approved, ALLOW_CONTRACTS))) {
                fail(0x480a70f8, signer) // ContractGuardianMustApproveOnChain(address)
            }
        }
        uint256 start;
        assembly ("memory-safe") {
            start := add(blob.offset, add(offset, HEADER_LENGTH))
        }
        _checkSignature(digest, signer, kindLength, start);
    }

    /// @dev Reverts `InvalidSignature(signer)` unless the entry's signature (`kindLength`: kind << 16 |
    /// length, starting at calldata offset `start`) is a valid `kind` signature of `digest` by `signer`.
    function _checkSignature(bytes32 digest, address signer, uint256 kindLength, uint256 start) private view {
        bytes calldata signature;
        assembly ("memory-safe") {
            signature.offset := start
            signature.length := and(kindLength, 0xffff)
        }
        kindLength >>= 16;
        bool valid;
        if (kindLength == KIND_ECDSA) valid = isEcdsaSignedBy(signer, digest, signature);
        else if (kindLength == KIND_ERC1271) {
            valid = SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
        }
        if (!valid) revert ICustosRecovery.InvalidSignature(signer);
    }

    /// @notice Number of set bits of `bitmap`.
    function count(uint256 bitmap) internal pure returns (uint256 n) {
        while (bitmap != 0) {
            bitmap &= bitmap - 1;
            unchecked {
                ++n;
            }
        }
    }

    /// @notice True when `signature` is a 65-byte r||s||v ECDSA signature of `hash` by `signer`, with
    /// low s and v in {27, 28}.
    /// @dev Gas: reads r, s, v straight from calldata into scratch space and calls the ecrecover
    /// precompile once (Solady style), with no memory copy of the signature nor OpenZeppelin's error
    /// plumbing. Safe: the same rules as OpenZeppelin's tryRecover — exact length, s <= n/2, a v
    /// outside {27, 28} makes the precompile return nothing (address zero), and a zero recovered
    /// address never matches (rejected explicitly). Memory: writes only the scratch space, the free
    /// memory pointer slot and the zero slot, and restores the latter two.
    function isEcdsaSignedBy(
        address signer,
        bytes32 hash,
        bytes calldata signature
    ) internal view returns (bool valid) {
        assembly ("memory-safe") {
            if eq(signature.length, 65) {
                let m := mload(0x40)
                let s := calldataload(add(signature.offset, 0x20))
                if iszero(gt(s, 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0)) {
                    mstore(0x00, hash)
                    mstore(0x20, byte(0, calldataload(add(signature.offset, 0x40))))
                    mstore(0x40, calldataload(signature.offset))
                    mstore(0x60, s)
                    pop(staticcall(gas(), 1, 0x00, 0x80, 0x00, 0x20))
                    // The precompile returns 32 bytes on success and nothing on failure (stale memory).
                    let recovered := mul(mload(0x00), eq(returndatasize(), 0x20))
                    // `signer` may carry dirty upper bits (legacy codegen cleans lazily): compare 160 bits.
                    valid := and(
                        eq(recovered, and(signer, 0xffffffffffffffffffffffffffffffffffffffff)),
                        iszero(iszero(recovered))
                    )
                    mstore(0x60, 0) // Restore the zero slot.
                    mstore(0x40, m) // Restore the free memory pointer.
                }
            }
        }
    }
}
