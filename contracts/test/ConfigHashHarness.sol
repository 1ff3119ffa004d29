// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ConfigHash} from "../account/ConfigHash.sol";
import {GuardianConfig} from "../interfaces/ICustosRecovery.sol";

/// @notice Exposes the calldata configuration hash next to the Solidity reference encoding.
contract ConfigHashHarness {
    function fast(GuardianConfig calldata config) external pure returns (bytes32) {
        return ConfigHash.hash(config);
    }

    function referenceHash(GuardianConfig calldata config) external pure returns (bytes32) {
        return keccak256(abi.encode(config));
    }

    /// @dev Both hashes of raw (possibly non-canonical) calldata `args` for `fast`/`reference`.
    function both(
        bytes calldata args
    ) external view returns (bool fastOk, bytes32 fastHash, bool refOk, bytes32 refHash) {
        bytes memory out;
        (fastOk, out) = address(this).staticcall(bytes.concat(this.fast.selector, args));
        if (fastOk && out.length == 32) fastHash = abi.decode(out, (bytes32));
        (refOk, out) = address(this).staticcall(bytes.concat(this.referenceHash.selector, args));
        if (refOk && out.length == 32) refHash = abi.decode(out, (bytes32));
    }
}
