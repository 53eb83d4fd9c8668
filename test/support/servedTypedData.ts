import type { Address, Hex, LocalAccount } from "viem";

/** EIP-712 typed data as the platform serves it (GET …/registration-typed-data, …/custody-typed-data). */
export interface TypedDataJson {
  domain: { name: string; version: string; chainId: string; verifyingContract: Address };
  types: Record<string, Array<{ name: string; type: string }>>;
  primaryType: string;
  message: Record<string, unknown> & { deadline: string };
}

/** Signs typed data as the server serves it, the way a wallet's eth_signTypedData_v4 reads the JSON. */
export async function signServed(account: LocalAccount, typed: TypedDataJson): Promise<Hex> {
  const { EIP712Domain: _domainType, ...types } = typed.types;
  return account.signTypedData({
    domain: { ...typed.domain, chainId: Number(typed.domain.chainId) },
    types,
    primaryType: typed.primaryType,
    message: { ...typed.message, deadline: BigInt(typed.message.deadline) },
  });
}
