import type { TypedDataJson } from "../apiTypes.js";

/** EIP-712's domain fields, in the order the standard lists them; a domain uses those it has. */
const DOMAIN_FIELDS = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
  { name: "salt", type: "bytes32" },
] as const;

/**
 * The JSON `eth_signTypedData_v4` expects: the API's typed data (integers as decimal strings) with the
 * `EIP712Domain` type spelled out, which wallets read the domain's fields from (viem leaves it implicit).
 */
export function walletTypedData(typedData: TypedDataJson): string {
  const types = typedData.types.EIP712Domain
    ? typedData.types
    : { EIP712Domain: DOMAIN_FIELDS.filter((field) => typedData.domain[field.name] !== undefined).map((field) => ({ ...field })), ...typedData.types };
  return JSON.stringify({ ...typedData, types });
}
