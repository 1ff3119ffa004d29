// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LibClone} from "solady/src/utils/LibClone.sol";
import {ConfigHash} from "../account/ConfigHash.sol";
import {CustosAccount} from "../account/CustosAccount.sol";
import {GuardianConfig} from "../interfaces/ICustosRecovery.sol";

/// @title Custos account factory
/// @notice Deploys Custos accounts behind minimal ERC-1967 proxies with CREATE2. The address commits
/// to the owner AND the guardian configuration (S9): nobody can deploy a user's counterfactual
/// address with other guardians, so front-running creation is harmless.
/// @dev Gas: Solady's minimal ERC-1967 proxy (61 bytes plus the 32-byte configuration hash as an
/// immutable argument) instead of OpenZeppelin's ERC1967Proxy costs less code
/// deposit and no constructor delegatecall; the account is initialised in the same transaction.
contract CustosFactory {
    /// @notice The implementation every account proxies to.
    CustosAccount public immutable accountImplementation;

    /// @notice An account was deployed for `owner` with the configuration hashed as `configHash`.
    event AccountCreated(address indexed account, address indexed owner, bytes32 indexed configHash, uint256 salt);

    constructor(CustosAccount implementation) {
        accountImplementation = implementation;
    }

    /// @notice Deploys (or returns, if already deployed) the account of `owner` with `config`.
    /// @dev Callable by anyone, including the EntryPoint's SenderCreator for a first UserOperation.
    function createAccount(
        address owner,
        GuardianConfig calldata config,
        uint256 salt
    ) external returns (CustosAccount account) {
        bytes32 hash = ConfigHash.hash(config); // Gas: see ConfigHash.
        // Gas: the configuration hash rides in the proxy's code as an immutable argument instead of a
        // fresh storage slot (see GuardianRecovery._currentConfigHash), and is computed once here.
        (bool alreadyDeployed, address instance) = LibClone.createDeterministicERC1967(
            address(accountImplementation),
            abi.encodePacked(hash),
            _salt(owner, hash, salt)
        );
        account = CustosAccount(payable(instance));
        if (!alreadyDeployed) {
            _initialize(instance, owner, config);
            emit AccountCreated(instance, owner, hash, salt);
        }
    }

    /// @notice The counterfactual address of the account of `owner` with `config` and `salt`.
    function getAddress(address owner, GuardianConfig calldata config, uint256 salt) external view returns (address) {
        bytes32 hash = ConfigHash.hash(config); // Gas: see ConfigHash.
        return
            LibClone.predictDeterministicAddressERC1967(
                address(accountImplementation),
                abi.encodePacked(hash),
                _salt(owner, hash, salt),
                address(this)
            );
    }

    /// @dev Calls `initialize(owner, config)` on the new proxy. Gas: the call's arguments are built
    /// with two CALLDATACOPYs (owner, offset 0x40, then the configuration's canonical encoding: array
    /// offset 0xc0, five words, length, elements) instead of Solidity's element-by-element encoder
    /// and its EXTCODESIZE check. Safe: the bytes equal `abi.encodeCall(initialize, (owner, config))`,
    /// the array offset and length come from Solidity's validated accessor, the target was just
    /// created by CREATE2 (it has code), and a revert is bubbled unchanged.
    function _initialize(address instance, address owner, GuardianConfig calldata config) private {
        address[] calldata guardians = config.guardians;
        bytes4 selector = CustosAccount.initialize.selector;
        assembly ("memory-safe") {
            let m := mload(0x40)
            let n := guardians.length
            mstore(m, selector)
            mstore(add(m, 0x04), owner)
            mstore(add(m, 0x24), 0x40)
            mstore(add(m, 0x44), 0xc0)
            calldatacopy(add(m, 0x64), add(config, 0x20), 0xa0)
            mstore(add(m, 0x104), n)
            calldatacopy(add(m, 0x124), guardians.offset, shl(5, n))
            if iszero(call(gas(), instance, 0, m, add(0x124, shl(5, n)), 0x00, 0x00)) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
        }
    }

    function _salt(address owner, bytes32 configHash, uint256 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(owner, configHash, salt));
    }
}
