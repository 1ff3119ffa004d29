// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {CustosAccount} from "../../contracts/account/CustosAccount.sol";
import {CustosFactory} from "../../contracts/factory/CustosFactory.sol";
import {DelayBounds, GuardianConfig} from "../../contracts/interfaces/ICustosRecovery.sol";

interface Vm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function warp(uint256 timestamp) external;
}

/// @notice Random sequences of start/cancel/execute/warp keep the recovery invariants (S1–S3).
contract RecoveryStateMachineFuzzTest {
    error InvariantBroken(string what);

    Vm private constant VM = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 private constant GUARDIAN_KEY = 0x6A;
    uint256 private constant OWNER_KEY = 0x0E;

    CustosAccount private account;
    GuardianConfig private config;

    constructor() {
        DelayBounds memory bounds = DelayBounds(60, 30 days, 20, 14 days, 20, 7 days, 30, 30 days);
        CustosFactory factory = new CustosFactory(new CustosAccount(IEntryPoint(address(0x4337)), bounds));
        address[] memory guardians = new address[](1);
        guardians[0] = VM.addr(GUARDIAN_KEY);
        config = GuardianConfig(guardians, 1, 1000, 100, 200, 500);
        account = factory.createAccount(VM.addr(OWNER_KEY), config, 0);
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(key, digest);
        return abi.encodePacked(uint8(0), uint8(0), uint16(65), r, s, v);
    }

    function _start(uint256 seed) private {
        address newOwner = VM.addr((uint256(keccak256(abi.encode(seed))) % 1e30) + 1000);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory blob = _sign(GUARDIAN_KEY, account.recoveryDigest(newOwner, deadline));
        try account.startRecovery(newOwner, deadline, config, blob) {} catch {}
    }

    function _cancel() private {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory blob = _sign(GUARDIAN_KEY, account.cancelDigest(deadline));
        try account.cancelRecovery(deadline, config, blob) {} catch {}
    }

    function _checkInvariants() private view {
        (address owner, , bool recovering, , ) = account.accountState();
        (address pendingOwner, uint256 executeAfter, ) = account.pendingRecovery();
        if (!(owner != address(0))) revert InvariantBroken("owner is zero");
        if (!(recovering == (pendingOwner != address(0)))) revert InvariantBroken("recovering flag out of sync");
        if (!(recovering == (executeAfter != 0))) revert InvariantBroken("executeAfter out of sync");
        if (!(pendingOwner != owner)) revert InvariantBroken("pending owner equals owner");
    }

    function test_fuzz_randomSequences_keepRecoveryInvariants(uint8[12] memory actions, uint16[12] memory gaps) public {
        for (uint256 i; i < actions.length; ++i) {
            uint256 action = actions[i] % 4;
            if (action == 0) _start(uint256(keccak256(abi.encode(i, actions[i]))));
            else if (action == 1) _cancel();
            else if (action == 2) {
                (, uint256 executeAfter, ) = account.pendingRecovery();
                bool executable = executeAfter != 0 && block.timestamp >= executeAfter;
                try account.executeRecovery() {
                    if (!(executable)) revert InvariantBroken("executed early or without recovery");
                } catch {
                    if (!(!executable)) revert InvariantBroken("executable recovery refused");
                }
            } else VM.warp(block.timestamp + gaps[i]);
            _checkInvariants();
        }
    }
}
