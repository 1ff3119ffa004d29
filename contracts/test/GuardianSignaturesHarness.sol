// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {GuardianSignatures} from "../account/GuardianSignatures.sol";

/// @notice Exposes the guardian signature parser for property-based tests.
contract GuardianSignaturesHarness {
    // The parser raises these four in assembly, so the compiler does not list them in this harness's ABI
    // by itself; declared here (same signatures as ICustosRecovery's) so clients decode them by name.
    // The account's ABI lists them through ICustosRecovery.
    error MalformedSignatures(uint256 offset);
    error UnknownSigner(uint256 index);
    error AlreadyApproved(uint256 index);
    error ContractGuardianMustApproveOnChain(address guardian);

    function verify(
        bytes32 digest,
        address[] calldata guardians,
        address owner,
        bytes calldata blob,
        uint256 seen,
        bool allowContracts
    ) external view returns (uint256 bitmap) {
        return GuardianSignatures.verify(digest, guardians, owner, blob, seen, allowContracts);
    }

    function count(uint256 bitmap) external pure returns (uint256) {
        return GuardianSignatures.count(bitmap);
    }
}
