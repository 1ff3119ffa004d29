// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ConfigHashHarness} from "../../contracts/test/ConfigHashHarness.sol";
import {GuardianConfig} from "../../contracts/interfaces/ICustosRecovery.sol";

/// @notice The calldata configuration hash equals `keccak256(abi.encode(config))` on every canonical
/// encoding, and never yields the canonical hash of a configuration for other bytes.
contract ConfigHashFuzzTest {
    error Mismatch(bytes32 fast, bytes32 expected);
    error AcceptedNonCanonical();

    ConfigHashHarness private harness = new ConfigHashHarness();

    function test_fuzz_hash_matchesAbiEncode(
        address[] memory guardians,
        uint256 threshold,
        uint256 recoveryDelay,
        uint256 securityPeriod,
        uint256 securityWindow,
        uint256 lockPeriod
    ) public view {
        GuardianConfig memory config = GuardianConfig(
            guardians,
            threshold,
            recoveryDelay,
            securityPeriod,
            securityWindow,
            lockPeriod
        );
        bytes32 fast = harness.fast(config);
        bytes32 ref = harness.referenceHash(config);
        if (fast != ref) revert Mismatch(fast, ref);
    }

    /// @dev Non-canonical calldata: a moved guardians offset (extra padding before the array) and a
    /// dirty address word. Whatever either decoder does, the fast hash of such bytes never equals the
    /// canonical hash of the configuration they were derived from unless the reference agrees.
    function test_fuzz_hash_nonCanonicalNeverYieldsCanonical(
        address[] memory guardians,
        uint256 threshold,
        uint256 dirty,
        uint8 pad
    ) public view {
        GuardianConfig memory config = GuardianConfig(guardians, threshold, 1, 2, 3, 4);
        bytes32 canonical = harness.referenceHash(config);
        bytes memory args = abi.encode(config);
        // Move the array: bump the struct's guardians offset by `pad` words and insert zero words.
        uint256 words = uint256(pad) % 4;
        bytes memory moved = bytes.concat(_slice(args, 0, 0x20), _word(0xc0 + words * 0x20), _slice(args, 0x40, 0xe0));
        for (uint256 i; i < words; ++i) moved = bytes.concat(moved, _word(0));
        moved = bytes.concat(moved, _slice(args, 0xe0, args.length));
        (bool fastOk, bytes32 fastHash, , ) = harness.both(moved);
        if (fastOk && fastHash != canonical) revert Mismatch(fastHash, canonical);
        // Dirty the upper bits of the first guardian word.
        if (guardians.length != 0 && dirty >> 160 != 0) {
            bytes memory dirtied = args;
            uint256 at = 0x100;
            uint256 value = (dirty & ~uint256(type(uint160).max)) | uint160(guardians[0]);
            assembly {
                mstore(add(add(dirtied, 0x20), at), value)
            }
            (fastOk, fastHash, , ) = harness.both(dirtied);
            if (fastOk && fastHash == canonical) revert AcceptedNonCanonical();
        }
    }

    function _word(uint256 value) private pure returns (bytes memory) {
        return abi.encode(value);
    }

    function _slice(bytes memory data, uint256 from, uint256 to) private pure returns (bytes memory out) {
        out = new bytes(to - from);
        for (uint256 i; i < out.length; ++i) out[i] = data[from + i];
    }
}
