// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GuardianSignaturesHarness} from "../../contracts/test/GuardianSignaturesHarness.sol";

interface IVm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function assume(bool condition) external pure;
}

/// @notice Property tests of the strict guardian signature parser (rule S7).
contract GuardianSignaturesFuzzTest {
    error InvariantBroken(string what);

    IVm private constant VM = IVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    GuardianSignaturesHarness private harness = new GuardianSignaturesHarness();

    uint256 private constant KEY_A = 0xA11CE;
    uint256 private constant KEY_B = 0xB0B;
    /// @dev index (1) | kind (1) | length (2) | r, s, v (65).
    uint256 private constant ENTRY_LENGTH = 69;

    function _guardians() private pure returns (address[] memory guardians) {
        guardians = new address[](2);
        address a = VM.addr(KEY_A);
        address b = VM.addr(KEY_B);
        (guardians[0], guardians[1]) = a < b ? (a, b) : (b, a);
    }

    function _entry(uint8 index, uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(key, digest);
        return abi.encodePacked(index, uint8(0), uint16(65), r, s, v);
    }

    function _validBlob(bytes32 digest) private pure returns (bytes memory) {
        address[] memory guardians = _guardians();
        (uint256 k0, uint256 k1) = guardians[0] == VM.addr(KEY_A) ? (KEY_A, KEY_B) : (KEY_B, KEY_A);
        return bytes.concat(_entry(0, k0, digest), _entry(1, k1, digest));
    }

    function _accepts(bytes32 digest, bytes memory blob) private view returns (bool ok, uint256 bitmap) {
        try harness.verify(digest, _guardians(), address(0), blob, 0, true) returns (uint256 result) {
            return (true, result);
        } catch {
            return (false, 0);
        }
    }

    function test_validBlob_countsBothGuardians() public view {
        bytes32 digest = keccak256("custos");
        (bool ok, uint256 bitmap) = _accepts(digest, _validBlob(digest));
        if (!(ok && harness.count(bitmap) == 2)) revert InvariantBroken("valid blob rejected");
    }

    function test_fuzz_verify_rejectsTruncatedBlob(bytes32 digest, uint256 cut) public view {
        bytes memory blob = _validBlob(digest);
        uint256 length = cut % blob.length; // 0 .. length-1, always shorter than the valid blob
        bytes memory truncated = new bytes(length);
        for (uint256 i; i < length; ++i) truncated[i] = blob[i];
        (bool ok, uint256 bitmap) = _accepts(digest, truncated);
        // Cut exactly after the first entry, the blob is a complete one-entry blob: it counts that
        // guardian only. Anywhere else the cut falls inside an entry and the blob must be rejected.
        if (length == ENTRY_LENGTH) {
            if (!ok || bitmap != 1) revert InvariantBroken("complete first entry not counted alone");
        } else if (ok) revert InvariantBroken("truncated blob accepted");
    }

    function test_truncatedAtEntryBoundary_countsFirstGuardianOnly() public view {
        bytes32 digest = keccak256("boundary");
        bytes memory blob = _validBlob(digest);
        bytes memory first = new bytes(ENTRY_LENGTH);
        for (uint256 i; i < ENTRY_LENGTH; ++i) first[i] = blob[i];
        (bool ok, uint256 bitmap) = _accepts(digest, first);
        if (!ok || bitmap != 1) revert InvariantBroken("complete first entry not counted alone");
        (ok, ) = _accepts(digest, bytes.concat(first, hex"01"));
        if (ok) revert InvariantBroken("one byte of a second entry accepted");
    }

    function test_fuzz_verify_rejectsPaddedBlob(bytes32 digest, bytes memory padding) public view {
        VM.assume(padding.length > 0);
        (bool ok, ) = _accepts(digest, bytes.concat(_validBlob(digest), padding));
        if (!(!ok)) revert InvariantBroken("padded blob accepted");
    }

    function test_fuzz_verify_neverCountsMoreThanValidSigners(bytes32 digest, bytes memory blob) public view {
        (bool ok, uint256 bitmap) = _accepts(digest, blob);
        if (ok && !(harness.count(bitmap) <= 2 && bitmap < 4)) revert InvariantBroken("counted a non-signer");
    }

    function test_fuzz_verify_randomPrefixBeforeValidEntriesNeverCountsMore(
        bytes32 digest,
        bytes memory prefix
    ) public view {
        (bool ok, uint256 bitmap) = _accepts(digest, bytes.concat(prefix, _validBlob(digest)));
        if (ok && harness.count(bitmap) > 2) revert InvariantBroken("counted more than the signers");
    }
}
