// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {CustosAccount} from "../account/CustosAccount.sol";
import {DelayBounds, GasCaps} from "../interfaces/ICustosRecovery.sol";

/// @notice An upgraded Custos implementation used to test UUPS upgrades.
contract CustosAccountV2 is CustosAccount {
    constructor(
        IEntryPoint anEntryPoint,
        DelayBounds memory bounds,
        GasCaps memory caps
    ) CustosAccount(anEntryPoint, bounds, caps) {}

    function version() external pure returns (uint256) {
        return 2;
    }
}
