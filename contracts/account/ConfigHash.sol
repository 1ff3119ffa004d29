// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GuardianConfig} from "../interfaces/ICustosRecovery.sol";

/// @title Hash of a guardian configuration, `keccak256(abi.encode(config))`, built from calldata
library ConfigHash {
    /// @dev Gas: writes the canonical encoding straight from calldata into free memory (two
    /// CALLDATACOPYs) and hashes it, instead of Solidity's element-by-element ABI re-encoding.
    /// Safe: the bytes hashed are exactly those of `abi.encode(config)` — the outer offset 0x20, the
    /// struct head whose first word is the guardians' offset relative to the struct (always 0xc0 for
    /// six head words), the five uint256 fields, the array length and the elements. The offset and
    /// length are taken from Solidity's own validated accessor (`config.guardians`), never trusted from
    /// raw calldata. The only encodings that hash differently are non-canonical ones (an address word
    /// with dirty upper bits), whose hash then matches no stored hash, so they are rejected, never
    /// accepted. Fuzzed against `keccak256(abi.encode(config))` in test/fuzz/ConfigHash.t.sol.
    function hash(GuardianConfig calldata config) internal pure returns (bytes32 result) {
        address[] calldata guardians = config.guardians;
        assembly ("memory-safe") {
            let m := mload(0x40)
            let n := guardians.length
            mstore(m, 0x20)
            mstore(add(m, 0x20), 0xc0)
            calldatacopy(add(m, 0x40), add(config, 0x20), 0xa0)
            mstore(add(m, 0xe0), n)
            calldatacopy(add(m, 0x100), guardians.offset, shl(5, n))
            result := keccak256(m, add(0x100, shl(5, n)))
        }
    }
}
