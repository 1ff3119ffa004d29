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
    /// @dev Carried in bit 254 of `_verifyEntry`'s `approved` word (254 is never a signer index: only
    /// 0..15 and OWNER_INDEX are), which keeps the parser within the legacy code generator's stack.
    uint256 private constant ALLOW_CONTRACTS = 1 << 254;

    /// @notice Verifies every entry of `blob` against `digest`.
    /// @param guardians The current guardian list (already checked against the stored hash).
    /// @param owner The owner if it may sign, or address(0).
    /// @param seen Bitmap of indexes that already approved (on-chain); signing again reverts.
    /// @param allowContracts Whether ERC-1271 entries may be checked by calling the guardian. False in
    /// UserOperation validation (S14): validation never runs another contract's code, so there a
    /// contract guardian's entry reverts with `ContractGuardianMustApproveOnChain`.
    /// @return bitmap Bitmap of the indexes whose signatures were verified (bit 255 = owner).
    function verify(
        bytes32 digest,
        address[] calldata guardians,
        address owner,
        bytes calldata blob,
        uint256 seen,
        bool allowContracts
    ) internal view returns (uint256 bitmap) {
        if (blob.length == 0) revert ICustosRecovery.EmptySignatures();
        uint256 offset;
        uint256 entry;
        uint256 nextMinIndex;
        if (allowContracts) seen |= ALLOW_CONTRACTS;
        // Bounded: indexes strictly increase and must name one of at most 16 guardians or the owner.
        while (offset < blob.length) {
            uint256 index;
            (index, offset) = _verifyEntry(digest, guardians, owner, blob, offset, seen | bitmap);
            if (index < nextMinIndex) revert ICustosRecovery.SignersNotSorted(entry);
            bitmap |= 1 << index;
            nextMinIndex = index + 1;
            unchecked {
                ++entry;
            }
        }
    }

    /// @dev Verifies the entry at `offset` (`approved`: indexes already counted, plus ALLOW_CONTRACTS);
    /// returns its signer index and the offset of the next entry.
    function _verifyEntry(
        bytes32 digest,
        address[] calldata guardians,
        address owner,
        bytes calldata blob,
        uint256 offset,
        uint256 approved
    ) private view returns (uint256 index, uint256 end) {
        uint256 kind;
        uint256 start;
        (index, kind, start, end) = _readEntry(blob, offset);
        address signer = _signerAt(index, guardians, owner);
        if (approved & (1 << index) != 0) revert ICustosRecovery.AlreadyApproved(index);
        if (kind == KIND_ERC1271 && approved & ALLOW_CONTRACTS == 0)
            revert ICustosRecovery.ContractGuardianMustApproveOnChain(signer);
        if (!_isValid(signer, kind, digest, blob[start:end])) revert ICustosRecovery.InvalidSignature(signer);
    }

    /// @dev Reads the header of the entry at `offset`; reverts if the header or the body is truncated.
    function _readEntry(
        bytes calldata blob,
        uint256 offset
    ) private pure returns (uint256 index, uint256 kind, uint256 start, uint256 end) {
        if (offset + HEADER_LENGTH > blob.length) revert ICustosRecovery.MalformedSignatures(offset);
        // Gas: the 4-byte header is read with one CALLDATALOAD instead of four bounds-checked byte
        // reads. Safe: the check above keeps all four bytes inside the blob, and `offset` never
        // exceeds the blob length, so the additions cannot overflow.
        assembly ("memory-safe") {
            let header := shr(224, calldataload(add(blob.offset, offset)))
            index := shr(24, header)
            kind := and(shr(16, header), 0xff)
            start := add(offset, HEADER_LENGTH)
            end := add(start, and(header, 0xffff))
        }
        if (end > blob.length) revert ICustosRecovery.MalformedSignatures(offset);
    }

    function _signerAt(uint256 index, address[] calldata guardians, address owner) private pure returns (address) {
        if (index < guardians.length) return guardians[index];
        if (index == OWNER_INDEX && owner != address(0)) return owner;
        revert ICustosRecovery.UnknownSigner(index);
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

    function _isValid(address signer, uint256 kind, bytes32 digest, bytes calldata sig) private view returns (bool) {
        if (kind == KIND_ECDSA) return isEcdsaSignedBy(signer, digest, sig);
        if (kind == KIND_ERC1271) {
            return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, sig);
        }
        return false;
    }
}
