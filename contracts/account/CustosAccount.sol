// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BaseAccount} from "@account-abstraction/contracts/core/BaseAccount.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {IAccount} from "@account-abstraction/contracts/interfaces/IAccount.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {CustosStorage} from "./CustosStorage.sol";
import {GuardianRecovery} from "./GuardianRecovery.sol";
import {GuardianSignatures} from "./GuardianSignatures.sol";
import {CustosTypedData} from "./CustosTypedData.sol";
import {DelayBounds, GasCaps, GuardianConfig} from "../interfaces/ICustosRecovery.sol";

/// @title Custos account
/// @notice An ERC-4337 (EntryPoint v0.8) smart account controlled by one owner key, recoverable by
/// guardians (see GuardianRecovery), upgradeable by its owner (UUPS), ERC-1271 and ERC-165 compliant,
/// able to receive ETH, ERC-721 and ERC-1155 tokens.
/// @dev Deployed behind minimal ERC-1967 proxies by CustosFactory. UserOperations are validated by
/// the selector of their callData:
/// - `execute`, `executeBatch` and any other call: the owner signed it, no recovery is pending, and it
///   is valid only after any lock;
/// - `rotateOwner`, `requestConfigChange`, `confirmConfigChange`: the owner signed it; the functions
///   themselves enforce what a lock allows (S4, S12); under a lock they are valid at once only within
///   the S13 gas caps and only a few per lock (`_validateLockExemptOp`);
/// - `startRecovery`: guardian approvals (ECDSA in the callData, or recorded on-chain) meet the
///   threshold, and the proposed new owner signed the UserOperation (S8);
/// - `executeRecovery`: the pending recovery's new owner signed it; valid from `executeAfter` (S1);
/// - `cancelRecovery`: the quorum in the callData (plus on-chain approvals) suffices, and the owner signed it.
/// The last three are not signed by the owner: their gas fields must stay within the implementation's
/// caps, at most one of them per bundle is paid for, and their validation never runs guardian code
/// (S13, S14).
contract CustosAccount is BaseAccount, GuardianRecovery, UUPSUpgradeable, EIP712, IERC1271, IERC165 {
    /// @dev `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`.
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;
    bytes4 private constant ERC1271_INVALID = 0xffffffff;

    /// @notice How many rotation or configuration-change operations a locked account pays for before the
    /// lock ends (see `_validateLockExemptOp`): enough for the owner to rotate, or to request and confirm
    /// the removal of the guardian who locked it, with a retry.
    uint256 public constant MAX_LOCK_EXEMPT_OPS = 4;

    /// @dev Typed wrapper of a message hash signed by the owner for ERC-1271, binding it to this
    /// account and chain so one owner signature cannot be replayed on another account.
    bytes32 public constant MESSAGE_TYPEHASH = CustosTypedData.MESSAGE_TYPEHASH;

    IEntryPoint private immutable _ENTRY_POINT;

    /// @dev Constants of the hot paths (owner UserOperation validation, `execute`) held as immutables.
    /// Gas: at 1,000 optimizer runs the compiler stores a 32-byte constant in the code and loads it with
    /// CODECOPY through scratch memory (about 30 gas); an immutable is always a PUSH32 (3 gas). Safe:
    /// the same values, set once in the constructor of the implementation (proxies run its code).
    bytes32 private immutable _STORAGE_SLOT = CustosStorage.SLOT;
    uint256 private immutable _ADDRESS_MASK = CustosStorage.ADDRESS_MASK;
    /// @dev secp256k1 n / 2: the largest low s.
    uint256 private immutable _SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @param anEntryPoint The EntryPoint v0.8 this implementation trusts.
    /// @param bounds Immutable bounds on every account's delays (production vs. local demo).
    /// @param caps Immutable caps on the gas of UserOperations the owner did not sign (S13).
    constructor(
        IEntryPoint anEntryPoint,
        DelayBounds memory bounds,
        GasCaps memory caps
    ) GuardianRecovery(bounds, caps) EIP712(CustosTypedData.NAME, CustosTypedData.VERSION) {
        _ENTRY_POINT = anEntryPoint;
        // The implementation itself can never be initialised.
        CustosStorage.layout().owner = address(1);
    }

    /// @notice Sets the first owner and guardian configuration. Called once by the factory, in the
    /// transaction that deploys the proxy.
    function initialize(address anOwner, GuardianConfig calldata config) external {
        _initializeRecovery(anOwner, config);
    }

    /// @notice Accepts plain ETH transfers.
    receive() external payable {}

    /// @inheritdoc BaseAccount
    function entryPoint() public view override returns (IEntryPoint) {
        return _ENTRY_POINT;
    }

    // ================================================================== ERC-4337 validation

    /// @inheritdoc IAccount
    /// @dev Gas: BaseAccount's flow with the prefund paid by a bare CALL (no return data copied to memory,
    /// no memory allocation for the empty call data) and no empty nonce hook. Safe: same checks in the same
    /// order; like BaseAccount, a failed prefund transfer is ignored (the EntryPoint then rejects the op).
    function validateUserOp(
        PackedUserOperation calldata userOp,
        bytes32 userOpHash,
        uint256 missingAccountFunds
    ) external override ownerCallFastPath(userOp, userOpHash, missingAccountFunds) returns (uint256 validationData) {
        _requireFromEntryPoint();
        validationData = _validateUserOpBySelector(userOp, userOpHash);
        assembly ("memory-safe") {
            if missingAccountFunds {
                pop(call(gas(), caller(), missingAccountFunds, codesize(), 0x00, codesize(), 0x00))
            }
        }
    }

    /// @dev The everyday owner operation (`execute`, `executeBatch`) validated in one assembly block that
    /// returns straight from the call; any other caller or selector falls through to the general path.
    /// Same rules as `_validateOwnerOp(userOp, userOpHash)` and the same prefund transfer: reverts
    /// `RecoveryPending()` while a recovery is pending, valid only after any lock (`validAfter`), the
    /// owner's 65-byte ECDSA signature with low s (as GuardianSignatures.isEcdsaSignedBy).
    /// Gas: no Solidity field accessors, no internal calls, no re-read of the caller check.
    /// Safe without the accessors' bounds checks: the block runs only when the caller is the EntryPoint,
    /// which ABI-encodes the UserOperation canonically from its own memory; whatever the calldata,
    /// CALLDATALOAD never reads outside it (zeros beyond), so a malformed field can only select no fast
    /// path (selector 0) or fail the signature check — the signature must still recover to the owner
    /// over `userOpHash`, which commits to every field but the signature itself.
    /// A modifier, so its code is inlined into `validateUserOp` (no internal call).
    modifier ownerCallFastPath(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds) {
        address entryPoint_ = address(_ENTRY_POINT);
        bytes32 slot = _STORAGE_SLOT;
        uint256 halfN = _SECP256K1_HALF_N;
        uint256 addressMask = _ADDRESS_MASK;
        assembly ("memory-safe") {
            if eq(caller(), entryPoint_) {
                // userOp.callData: the offset word is the 4th head word of the struct.
                let callData := add(userOp, calldataload(add(userOp, 0x60)))
                let selector := 0
                if gt(calldataload(callData), 3) {
                    selector := shr(224, calldataload(add(callData, 0x20)))
                }
                // execute(address,uint256,bytes), executeBatch((address,uint256,bytes)[])
                if or(eq(selector, 0xb61d27f6), eq(selector, 0x34fcd5be)) {
                    let word := sload(slot)
                    if and(shr(200, word), 0xff) {
                        mstore(0x00, shl(224, 0x122d82d6)) // RecoveryPending()
                        revert(0x00, 0x04)
                    }
                    // userOp.signature (9th head word): 65 bytes r‖s‖v, low s; the precompile returns 32
                    // bytes on success and nothing on failure (stale memory).
                    let sig := add(userOp, calldataload(add(userOp, 0x100)))
                    let s := calldataload(add(sig, 0x40))
                    let recovered := 0
                    if and(eq(calldataload(sig), 65), iszero(gt(s, halfN))) {
                        mstore(0x00, userOpHash)
                        mstore(0x20, byte(0, calldataload(add(sig, 0x60))))
                        mstore(0x40, calldataload(add(sig, 0x20)))
                        mstore(0x60, s)
                        pop(staticcall(gas(), 1, 0x00, 0x80, 0x00, 0x20))
                        recovered := mul(mload(0x00), eq(returndatasize(), 0x20))
                    }
                    let valid := and(eq(recovered, and(word, addressMask)), gt(recovered, 0))
                    if missingAccountFunds {
                        pop(call(gas(), caller(), missingAccountFunds, codesize(), 0x00, codesize(), 0x00))
                    }
                    // validationData: sigFailed | validUntil 0 | validAfter = lockedUntil. The block ends the
                    // call here, so the free memory pointer and the zero slot it overwrote need no restoring.
                    mstore(0x00, or(iszero(valid), shl(208, and(shr(160, word), 0xffffffffff))))
                    return(0x00, 0x20)
                }
            }
        }
        _;
    }

    /// @notice Calls `target` with `value` and `data`; bubbles up its revert data.
    /// @dev Gas: the call data is copied from calldata straight to free memory with one CALLDATACOPY,
    /// without Solidity's bytes-memory decoding (allocation, length word, bounds checks) that
    /// BaseAccount's `Exec.call` path needs. Safe: same authorisation (`_requireForExecute`, S2/S4),
    /// the same call (all remaining gas, no return data copied on success) and the same revert
    /// bubbling as `Exec.revertWithReturnData`; the copy only uses memory past the free pointer.
    function execute(address target, uint256 value, bytes calldata data) external override executorChecks {
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, data.offset, data.length)
            if iszero(call(gas(), target, value, m, data.length, codesize(), 0x00)) {
                returndatacopy(m, 0x00, returndatasize())
                revert(m, returndatasize())
            }
        }
    }

    /// @dev BaseAccount's hook, unused: `validateUserOp` dispatches on the selector itself.
    function _validateSignature(PackedUserOperation calldata, bytes32) internal pure override returns (uint256) {
        return 1; // SIG_VALIDATION_FAILED
    }

    /// @dev Chooses who must have signed the UserOperation from the function it calls (see contract doc).
    function _validateUserOpBySelector(
        PackedUserOperation calldata userOp,
        bytes32 userOpHash
    ) private returns (uint256 validationData) {
        bytes calldata callData = userOp.callData;
        // Gas: the selector is the top 4 bytes of one CALLDATALOAD instead of a bounds-checked slice and
        // conversion. Safe: read only when callData has at least 4 bytes (zero otherwise).
        bytes4 selector;
        assembly ("memory-safe") {
            if gt(callData.length, 3) {
                selector := and(calldataload(callData.offset), shl(224, 0xffffffff))
            }
        }
        // Gas: the owner's everyday calls are matched first, so they skip the recovery comparisons.
        if (selector == this.execute.selector || selector == this.executeBatch.selector) {
            return _validateOwnerOp(userOp, userOpHash);
        }
        if (selector == this.startRecovery.selector) {
            uint256 validAfter = abi.decode(_selfCheck(this.checkStartRecovery.selector, callData), (uint256));
            address newOwner = abi.decode(callData[4:36], (address));
            uint256 deadline = abi.decode(callData[36:68], (uint256));
            _markStartInFlight(newOwner);
            return _pack(_isSignedWithinCaps(userOp, newOwner, userOpHash), deadline, validAfter);
        }
        if (selector == this.executeRecovery.selector) {
            (address newOwner, uint256 executeAfter) = _markRecoveryOpInFlight();
            // The EntryPoint's validAfter is exclusive: valid from executeAfter on, as a plain call (S1).
            return _pack(_isSignedWithinCaps(userOp, newOwner, userOpHash), 0, executeAfter - 1);
        }
        if (selector == this.cancelRecovery.selector) {
            _selfCheck(this.checkCancelRecovery.selector, callData);
            uint256 deadline = abi.decode(callData[4:36], (uint256));
            _markRecoveryOpInFlight();
            return _pack(_isSignedWithinCaps(userOp, CustosStorage.layout().owner, userOpHash), deadline, 0);
        }
        if (
            selector == this.rotateOwner.selector ||
            selector == this.requestConfigChange.selector ||
            selector == this.confirmConfigChange.selector
        ) return _validateLockExemptOp(userOp, userOpHash);
        return _validateOwnerOp(userOp, userOpHash);
    }

    /// @dev `rotateOwner`, `requestConfigChange`, `confirmConfigChange`: the owner signed it and no
    /// recovery is pending. The functions themselves allow or refuse them under a lock (S4, S12), so
    /// validation need not hold them until the lock ends — but a lock exists to stop a thief holding the
    /// owner key, who would otherwise sign such operations (their execution may simply fail) with
    /// unbounded gas fields and, as their own bundler, take the account's ETH as gas. So once a lock was
    /// ever set (`lockedUntil` non-zero; validation cannot read the clock, ERC-7562), such an operation is
    /// valid at once only within the S13 caps and only for the first `MAX_LOCK_EXEMPT_OPS` of them paid
    /// under that lock (counted in validation, per `lockedUntil`); any other one is valid only after the
    /// lock, like every owner operation. A thief can thus make a locked account pay at most
    /// `MAX_LOCK_EXEMPT_OPS` capped operations per lock, and a guardian cannot lock again before its
    /// cooldown (S4).
    function _validateLockExemptOp(PackedUserOperation calldata userOp, bytes32 userOpHash) private returns (uint256) {
        (bool valid, uint256 lockedUntil) = _checkOwnerSigned(userOp, userOpHash);
        if (lockedUntil == 0) return _pack(valid, 0, 0);
        if (valid && _withinGasCaps(userOp.accountGasLimits, userOp.preVerificationGas, userOp.gasFees)) {
            CustosStorage.Layout storage $ = CustosStorage.layout();
            uint256 used = $.exemptionsLock == lockedUntil ? $.exemptions : 0;
            if (used < MAX_LOCK_EXEMPT_OPS) {
                $.exemptionsLock = uint40(lockedUntil);
                $.exemptions = uint8(used + 1);
                return _pack(true, 0, 0);
            }
        }
        return _pack(valid, 0, lockedUntil);
    }

    /// @dev The owner signed the operation and no recovery is pending; valid only after any lock.
    function _validateOwnerOp(PackedUserOperation calldata userOp, bytes32 userOpHash) private view returns (uint256) {
        (bool valid, uint256 lockedUntil) = _checkOwnerSigned(userOp, userOpHash);
        return _pack(valid, 0, lockedUntil);
    }

    /// @dev Reverts while a recovery is pending (S2); whether the owner signed the operation, and the
    /// lock's end. Gas: owner, lock and recovery flag come from one SLOAD of slot 0.
    function _checkOwnerSigned(
        PackedUserOperation calldata userOp,
        bytes32 userOpHash
    ) private view returns (bool valid, uint256 lockedUntil) {
        address owner_;
        bool recovering;
        (owner_, lockedUntil, recovering, , ) = CustosStorage.unpackSlot0(CustosStorage.loadSlot0());
        if (recovering) revert RecoveryPending();
        valid = _isSignedBy(owner_, userOpHash, userOp.signature);
    }

    /// @dev A guardian-driven operation: `signer` signed it and its gas stays within the caps (S13).
    function _isSignedWithinCaps(
        PackedUserOperation calldata userOp,
        address signer,
        bytes32 userOpHash
    ) private view returns (bool) {
        return
            _withinGasCaps(userOp.accountGasLimits, userOp.preVerificationGas, userOp.gasFees) &&
            _isSignedBy(signer, userOpHash, userOp.signature);
    }

    /// @dev Runs a `check*` view of this contract with the arguments of `callData` (so they are decoded
    /// exactly as execution will decode them); bubbles its revert, returns its result.
    function _selfCheck(bytes4 checker, bytes calldata callData) private view returns (bytes memory result) {
        bool ok;
        (ok, result) = address(this).staticcall(abi.encodePacked(checker, callData[4:]));
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @dev True when `signature` is a 65-byte low-s ECDSA signature of `hash` by `signer` (see
    /// GuardianSignatures.isEcdsaSignedBy: calldata ecrecover, no memory copy).
    function _isSignedBy(address signer, bytes32 hash, bytes calldata signature) private view returns (bool) {
        return GuardianSignatures.isEcdsaSignedBy(signer, hash, signature);
    }

    /// @dev Packs ERC-4337 validation data; a `validUntil` beyond 48 bits means "no expiry".
    function _pack(bool valid, uint256 validUntil, uint256 validAfter) private pure returns (uint256) {
        if (validUntil > type(uint48).max) validUntil = 0;
        return (valid ? 0 : 1) | (validUntil << 160) | (validAfter << 208);
    }

    /// @dev `execute`/`executeBatch`: from the EntryPoint (owner-validated) or the owner directly, and
    /// never while a recovery is pending or a lock holds (S2, S4).
    function _requireForExecute() internal view override executorChecks {}

    /// @dev `_requireForExecute`'s checks as a modifier, so `execute` runs them inline (no internal call).
    modifier executorChecks() {
        // Gas: one SLOAD of slot 0 and its fields unpacked in place; same checks, in the same order and
        // with the same errors, as `msg.sender` check + `_requireNotFrozen`.
        address entryPoint_ = address(_ENTRY_POINT);
        bytes32 slot = _STORAGE_SLOT;
        uint256 addressMask = _ADDRESS_MASK;
        assembly ("memory-safe") {
            let word := sload(slot)
            if iszero(or(eq(caller(), entryPoint_), eq(caller(), and(word, addressMask)))) {
                mstore(0x00, shl(224, 0x8e4a23d6)) // Unauthorized(address)
                mstore(0x04, caller())
                revert(0x00, 0x24)
            }
            if and(shr(200, word), 0xff) {
                mstore(0x00, shl(224, 0x122d82d6)) // RecoveryPending()
                revert(0x00, 0x04)
            }
            let lockedUntil := and(shr(160, word), 0xffffffffff)
            if gt(lockedUntil, timestamp()) {
                mstore(0x00, shl(224, 0x4e7f0b6d)) // AccountLocked(uint256)
                mstore(0x04, lockedUntil)
                revert(0x00, 0x24)
            }
        }
        _;
    }

    /// @inheritdoc GuardianRecovery
    function _calledByEntryPoint() internal view override returns (bool) {
        return msg.sender == address(_ENTRY_POINT);
    }

    /// @dev Owner-authorised configuration, rotation and upgrade calls.
    function _requireOwnerAuthorized() internal view override {
        if (
            msg.sender != address(_ENTRY_POINT) &&
            msg.sender != CustosStorage.layout().owner &&
            msg.sender != address(this)
        ) revert Unauthorized(msg.sender);
    }

    // ================================================================== ERC-1271, ERC-165, receivers

    /// @notice ERC-1271: valid when the owner signed `getMessageHash(hash)` and the account is neither
    /// locked nor recovering (a frozen key must not authorise Permit-style transfers either).
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        CustosStorage.Layout storage $ = CustosStorage.layout();
        if ($.recovering || $.lockedUntil > block.timestamp) return ERC1271_INVALID;
        return _isSignedBy($.owner, getMessageHash(hash), signature) ? ERC1271_MAGIC : ERC1271_INVALID;
    }

    /// @notice The EIP-712 hash the owner signs to produce an ERC-1271 signature for `hash`.
    function getMessageHash(bytes32 hash) public view returns (bytes32) {
        return CustosTypedData.messageDigest(hash);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IAccount).interfaceId ||
            interfaceId == type(IERC1271).interfaceId ||
            interfaceId == type(IERC721Receiver).interfaceId ||
            interfaceId == type(IERC1155Receiver).interfaceId;
    }

    /// @notice Accepts ERC-721 safe transfers.
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @notice Accepts ERC-1155 safe transfers.
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @notice Accepts ERC-1155 safe batch transfers.
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    // ================================================================== upgrades

    /// @dev UUPS: the owner only (directly, via the EntryPoint or a self-call), never while locked or
    /// recovering (S10).
    function _authorizeUpgrade(address) internal view override onlyOwnerAuthorized {}
}
