// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LibClone} from "solady/src/utils/LibClone.sol";

/// @notice Deploys Solady ERC-1967 proxies outside CustosFactory, to test how an account initialises
/// behind a proxy without the configuration hash argument or with a foreign one.
contract ProxyDeployer {
    event Deployed(address instance);

    /// @notice A 61-byte minimal ERC-1967 proxy with no immutable argument.
    function deploy(address implementation) external returns (address instance) {
        instance = LibClone.deployERC1967(implementation);
        emit Deployed(instance);
    }

    /// @notice A minimal ERC-1967 proxy with `args` appended to its code.
    function deployWithArgs(address implementation, bytes calldata args) external returns (address instance) {
        instance = LibClone.deployERC1967(implementation, args);
        emit Deployed(instance);
    }
}
