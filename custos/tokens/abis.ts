import { parseAbi } from "viem";

/** The slices of ERC-20 / ERC-721 / ERC-1155 the approval scanner reads and revokes. */
export const erc20ApprovalAbi = parseAbi([
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 value) returns (bool)",
]);

export const erc721ApprovalAbi = parseAbi([
  "event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)",
  "function getApproved(uint256 tokenId) view returns (address)",
  "function approve(address to, uint256 tokenId)",
]);

export const approvalForAllAbi = parseAbi([
  "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
  "function isApprovedForAll(address owner, address operator) view returns (bool)",
  "function setApprovalForAll(address operator, bool approved)",
]);
