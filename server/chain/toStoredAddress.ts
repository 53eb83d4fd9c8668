import type { Address } from "viem";

/**
 * `address` in the platform's one case, lowercase: every table, query parameter and API answer holds
 * addresses so, as RPC logs give them, so equal addresses compare equal as plain strings. Values from
 * outside (config, the signer's account, viem results, request input) pass through here once, where
 * they enter.
 */
export function toStoredAddress(address: string): Address {
  return address.toLowerCase() as Address;
}
