import type { Hex } from "viem";

import { hexToBytes, keccak256 } from "viem";

/**
 * keccak256 of runtime code with the compiler's immutable slots zeroed. Immutables hold per-deployment
 * values (the factory's implementation address, EIP-712's cached domain), so this is what stays equal
 * between a compiled artifact and every deployment of it.
 */
export function maskedCodeHash(code: Hex, immutableRanges: ReadonlyArray<{ start: number; length: number }>): Hex {
  const bytes = hexToBytes(code);
  for (const range of immutableRanges) {
    if (range.start + range.length <= bytes.length) bytes.fill(0, range.start, range.start + range.length);
  }
  return keccak256(bytes);
}

const CLONE_PREFIX = "0x363d3d373d3d3d363d73";
const CLONE_SUFFIX = "5af43d82803e903d91602b57fd5bf3";

/** The implementation an EIP-1167 minimal proxy delegates to, or null when `code` is not one. */
export function cloneImplementation(code: Hex): Hex | null {
  const lower = code.toLowerCase();
  if (lower.length !== CLONE_PREFIX.length + 40 + CLONE_SUFFIX.length) return null;
  if (!lower.startsWith(CLONE_PREFIX) || !lower.endsWith(CLONE_SUFFIX)) return null;
  return `0x${lower.slice(CLONE_PREFIX.length, CLONE_PREFIX.length + 40)}`;
}
