// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @notice Freely mintable ERC-721 for tests.
contract TestERC721 is ERC721("Test NFT", "TNFT") {
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
