// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @notice A 1-of-1 multisig wallet used as an ERC-1271 contract guardian: its signer approves
/// digests off-chain (ERC-1271) or executes calls on-chain.
contract MultisigGuardian is IERC1271 {
    error NotSigner(address caller);
    error CallFailed(bytes reason);

    address public immutable signer;

    constructor(address signer_) {
        signer = signer_;
    }

    /// @notice Executes `data` on `target` on behalf of the multisig.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != signer) revert NotSigner(msg.sender);
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call(data);
        if (!ok) revert CallFailed(result);
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == signer ? this.isValidSignature.selector : bytes4(0);
    }
}
