// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ERC-20 token for the gas benchmark
/// @notice Mints a fixed supply to the deployer, who hands it to the benchmarked accounts.
contract BenchToken is ERC20 {
    constructor(uint256 supply) ERC20("Bench", "BENCH") {
        _mint(msg.sender, supply);
    }
}
