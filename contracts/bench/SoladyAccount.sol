// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4337} from "solady/src/accounts/ERC4337.sol";

/// @title Solady reference account for the gas benchmark
/// @notice The smallest concrete subclass of Solady's abstract ERC4337: it trusts the canonical
/// EntryPoint v0.8 and names its ERC-1271 EIP-712 domain. Used only by bench/gas.ts.
contract SoladyAccount is ERC4337 {
    /// @dev EntryPoint v0.8 at its canonical address.
    function entryPoint() public pure override returns (address) {
        return 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108;
    }

    function _domainNameAndVersion() internal pure override returns (string memory, string memory) {
        return ("SoladyAccount", "1");
    }
}
