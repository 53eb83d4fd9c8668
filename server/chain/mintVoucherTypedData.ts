import type { Address } from "viem";

/** EIP-712 types of a mint voucher, as `VermilionCollection.MINT_VOUCHER_TYPEHASH` defines them. */
export const mintVoucherTypes = {
  MintVoucher: [
    { name: "editionId", type: "uint256" },
    { name: "to", type: "address" },
    { name: "quantity", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain of one collection (its constructor's name and version, its chain, its address). */
export function mintVoucherDomain(chainId: number, collection: Address) {
  return { name: "Vermilion Collection", version: "1", chainId, verifyingContract: collection } as const;
}

/** `IVermilionCollection.MintVoucher`: what an issuer signs to let `to` redeem `quantity` serials. */
export interface MintVoucher {
  editionId: bigint;
  to: Address;
  quantity: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** The whole EIP-712 payload of `voucher` for the collection at `collection`, ready for `signTypedData`. */
export function mintVoucherTypedData(chainId: number, collection: Address, voucher: MintVoucher) {
  return { domain: mintVoucherDomain(chainId, collection), types: mintVoucherTypes, primaryType: "MintVoucher", message: voucher } as const;
}
