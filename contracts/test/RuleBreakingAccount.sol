// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

/// @notice A minimal ERC-4337 account that breaks an ERC-7562 validation rule on request, to prove a
/// bundler's rule checks are live. The first byte of the UserOperation's signature picks what its
/// validation does besides paying the prefund: 0 nothing (valid everywhere), 1 reads the block's
/// TIMESTAMP (banned for every entity), 2 reads another contract's storage that is not associated
/// with the account (banned for an unstaked account), 3 lets an inner call run out of gas and goes on
/// (banned: "internally reverts on oog"). It accepts any signature: tests only.
contract RuleBreakingAccount is IAccount {
    address public immutable entryPoint;
    /// @notice Whose storage mode 2 reads (any contract with a `totalSupply()` kept in storage).
    address public immutable foreign;

    error NotEntryPoint();

    constructor(address entryPoint_, address foreign_) {
        entryPoint = entryPoint_;
        foreign = foreign_;
    }

    function validateUserOp(
        PackedUserOperation calldata userOp,
        bytes32,
        uint256 missingAccountFunds
    ) external returns (uint256 validationData) {
        if (msg.sender != entryPoint) revert NotEntryPoint();
        uint8 mode = userOp.signature.length > 0 ? uint8(userOp.signature[0]) : 0;
        if (mode == 1) {
            // solhint-disable-next-line not-rely-on-time
            validationData = block.timestamp > 1 ? 0 : 1;
        } else if (mode == 2) {
            validationData = IERC20Supply(foreign).totalSupply() == type(uint256).max ? 1 : 0;
        } else if (mode == 3) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool done, ) = address(this).call{gas: 5_000}(abi.encodeCall(this.spin, ()));
            validationData = done ? 1 : 0;
        }
        if (missingAccountFunds > 0) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool paid, ) = payable(msg.sender).call{value: missingAccountFunds}("");
            (paid);
        }
    }

    /// @notice Never returns: runs until its gas is gone.
    function spin() external pure {
        for (;;) {}
    }

    /// @notice What the UserOperation runs once validated: nothing.
    function noop() external {}

    receive() external payable {}
}

interface IERC20Supply {
    function totalSupply() external view returns (uint256);
}
