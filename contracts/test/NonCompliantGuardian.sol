// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A contract guardian that does not implement ERC-1271 correctly: it answers every
/// `isValidSignature` call with a wrong magic value.
contract NonCompliantGuardian {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        return 0xdeadbeef;
    }
}
