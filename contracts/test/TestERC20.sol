// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Freely mintable ERC-20 for tests.
contract TestERC20 is ERC20("Test Token", "TST") {
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
