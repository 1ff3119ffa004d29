// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {CustosAccount} from "../../contracts/account/CustosAccount.sol";
import {CustosFactory} from "../../contracts/factory/CustosFactory.sol";
import {DelayBounds, GasCaps, GuardianConfig, ICustosRecovery} from "../../contracts/interfaces/ICustosRecovery.sol";

interface IVm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function warp(uint256 timestamp) external;
}

/// @notice Random sequences of start/cancel/execute/warp keep the recovery invariants (S1–S3).
/// @dev Every action's outcome is predicted from the state before it and checked, including the custom
/// error of a refusal, so a call that reverts for an unexpected reason fails the test instead of being
/// swallowed. Successful transitions are counted.
contract RecoveryStateMachineFuzzTest {
    error InvariantBroken(string what);

    IVm private constant VM = IVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 private constant GUARDIAN_KEY = 0x6A;
    uint256 private constant OWNER_KEY = 0x0E;
    uint256 private constant RECOVERY_DELAY = 1000;

    CustosAccount private account;
    GuardianConfig private config;

    uint256 private starts;
    uint256 private cancels;
    uint256 private executes;
    uint256 private refusals;

    constructor() {
        DelayBounds memory bounds = DelayBounds(60, 30 days, 20, 14 days, 20, 7 days, 30, 30 days);
        GasCaps memory caps = GasCaps(500_000, 200_000, 60_000, 500_000, 5 gwei, 500 gwei);
        CustosFactory factory = new CustosFactory(new CustosAccount(IEntryPoint(address(0x4337)), bounds, caps));
        address[] memory guardians = new address[](1);
        guardians[0] = VM.addr(GUARDIAN_KEY);
        config = GuardianConfig(guardians, 1, RECOVERY_DELAY, 100, 200, 500);
        account = factory.createAccount(VM.addr(OWNER_KEY), config, 0);
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(key, digest);
        return abi.encodePacked(uint8(0), uint8(0), uint16(65), r, s, v);
    }

    function _state() private view returns (address owner, bool recovering, uint256 epoch, uint256 nonce) {
        (owner, , recovering, epoch, nonce) = account.accountState();
    }

    function _expectError(bytes memory reason, bytes4 expected) private pure {
        if (reason.length < 4 || bytes4(reason) != expected) revert InvariantBroken("unexpected revert reason");
    }

    /// @dev Succeeds exactly when no recovery is pending (the new owner is always a fresh key).
    function _start(uint256 seed) private {
        address newOwner = VM.addr((uint256(keccak256(abi.encode(seed))) % 1e30) + 1000);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory blob = _sign(GUARDIAN_KEY, account.recoveryDigest(newOwner, deadline));
        (, bool wasRecovering, uint256 epoch, uint256 nonce) = _state();
        try account.startRecovery(newOwner, deadline, config, blob) {
            if (wasRecovering) revert InvariantBroken("second recovery started");
            (address pending, uint256 executeAfter, uint256 count) = account.pendingRecovery();
            if (pending != newOwner || executeAfter != block.timestamp + RECOVERY_DELAY || count != 1) {
                revert InvariantBroken("pending recovery not recorded");
            }
            (, , uint256 epochAfter, uint256 nonceAfter) = _state();
            if (epochAfter != epoch || nonceAfter != nonce) revert InvariantBroken("start changed nonce or epoch");
            ++starts;
        } catch (bytes memory reason) {
            if (!wasRecovering) revert InvariantBroken("valid recovery refused");
            _expectError(reason, ICustosRecovery.RecoveryPending.selector);
            ++refusals;
        }
    }

    /// @dev Succeeds exactly when a recovery is pending (one guardian is a quorum of ⌈(1+1)/2⌉).
    function _cancel() private {
        uint256 deadline = block.timestamp + 1 hours;
        (address owner, bool wasRecovering, uint256 epoch, uint256 nonce) = _state();
        bytes memory blob = wasRecovering ? _sign(GUARDIAN_KEY, account.cancelDigest(deadline)) : bytes("");
        try account.cancelRecovery(deadline, config, blob) {
            if (!wasRecovering) revert InvariantBroken("cancelled without recovery");
            (address ownerAfter, , uint256 epochAfter, uint256 nonceAfter) = _state();
            if (ownerAfter != owner) revert InvariantBroken("cancel changed the owner");
            if (epochAfter != epoch || nonceAfter != nonce + 1) revert InvariantBroken("cancel did not bump nonce");
            ++cancels;
        } catch (bytes memory reason) {
            if (wasRecovering) revert InvariantBroken("valid cancel refused");
            _expectError(reason, ICustosRecovery.NoRecoveryPending.selector);
            ++refusals;
        }
    }

    /// @dev Succeeds exactly when a recovery is pending and its delay has elapsed.
    function _execute() private {
        (address pending, uint256 executeAfter, ) = account.pendingRecovery();
        (, bool wasRecovering, uint256 epoch, uint256 nonce) = _state();
        bool executable = wasRecovering && block.timestamp >= executeAfter;
        try account.executeRecovery() {
            if (!executable) revert InvariantBroken("executed early or without recovery");
            (address ownerAfter, , uint256 epochAfter, uint256 nonceAfter) = _state();
            if (ownerAfter != pending) revert InvariantBroken("new owner not installed");
            if (epochAfter != epoch + 1 || nonceAfter != nonce + 1) revert InvariantBroken("execute did not bump");
            ++executes;
        } catch (bytes memory reason) {
            if (executable) revert InvariantBroken("executable recovery refused");
            _expectError(
                reason,
                wasRecovering
                    ? ICustosRecovery.RecoveryNotExecutable.selector
                    : ICustosRecovery.NoRecoveryPending.selector
            );
            ++refusals;
        }
    }

    function _checkInvariants() private view {
        (address owner, , bool recovering, , ) = account.accountState();
        (address pendingOwner, uint256 executeAfter, ) = account.pendingRecovery();
        if (!(owner != address(0))) revert InvariantBroken("owner is zero");
        if (!(recovering == (pendingOwner != address(0)))) revert InvariantBroken("recovering flag out of sync");
        if (!(recovering == (executeAfter != 0))) revert InvariantBroken("executeAfter out of sync");
        if (!(pendingOwner != owner)) revert InvariantBroken("pending owner equals owner");
    }

    function _run(uint8 action, uint256 seed, uint256 gap) private {
        if (action == 0) _start(seed);
        else if (action == 1) _cancel();
        else if (action == 2) _execute();
        else VM.warp(block.timestamp + gap);
        _checkInvariants();
    }

    function test_fixedSequence_startsCancelsAndExecutes() public {
        // start, start (refused), cancel, cancel (refused), start, execute (early), warp, execute,
        // execute (none), start, warp, cancel
        uint8[12] memory actions = [0, 0, 1, 1, 0, 2, 3, 2, 2, 0, 3, 1];
        for (uint256 i; i < actions.length; ++i) _run(actions[i], i, RECOVERY_DELAY);
        if (starts != 3 || cancels != 2 || executes != 1 || refusals != 4) revert InvariantBroken("wrong counts");
    }

    function test_fuzz_randomSequences_keepRecoveryInvariants(uint8[12] memory actions, uint16[12] memory gaps) public {
        bool sawStart;
        uint256 attempts;
        for (uint256 i; i < actions.length; ++i) {
            uint8 action = actions[i] % 4;
            sawStart = sawStart || action == 0;
            if (action != 3) ++attempts;
            _run(action, uint256(keccak256(abi.encode(i, actions[i]))), gaps[i]);
        }
        // The first start attempt always succeeds: nothing before it can leave a recovery pending.
        if (sawStart && starts == 0) revert InvariantBroken("no recovery started");
        if (starts + cancels + executes + refusals != attempts) revert InvariantBroken("unaccounted action");
        if (executes + cancels > starts) revert InvariantBroken("more endings than starts");
    }
}
