import type { Address, Hex } from "viem";
import { concat, numberToHex, parseSignature, toHex } from "viem";

import type { VermilionFixture } from "./deployVermilion.js";

/** `IVermilionCollection.MintVoucher`. */
export interface MintVoucher {
  editionId: bigint;
  to: Address;
  quantity: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** The EIP-712 types of a mint voucher, matching `MINT_VOUCHER_TYPEHASH`. */
export const mintVoucherTypes = {
  MintVoucher: [
    { name: "editionId", type: "uint256" },
    { name: "to", type: "address" },
    { name: "quantity", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain of the collection at `verifyingContract`. */
export function voucherDomain(chainId: number, verifyingContract: Address) {
  return { name: "Vermilion Collection", version: "1", chainId, verifyingContract } as const;
}

/** The full typed-data payload for `voucher` on the collection at `verifyingContract`. */
export function voucherTypedData(chainId: number, verifyingContract: Address, voucher: MintVoucher) {
  return {
    domain: voucherDomain(chainId, verifyingContract),
    types: mintVoucherTypes,
    primaryType: "MintVoucher",
    message: voucher,
  } as const;
}

/** Signs `voucher` for the collection at `verifyingContract` with `signer`'s key (eth_signTypedData_v4). */
export async function signVoucher(
  signer: VermilionFixture["issuer"],
  chainId: number,
  verifyingContract: Address,
  voucher: MintVoucher,
): Promise<Hex> {
  return signer.signTypedData({ account: signer.account, ...voucherTypedData(chainId, verifyingContract, voucher) });
}

const secp256k1Order = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The malleable twin of a 65-byte signature: `s` replaced by `n - s` and the parity flipped. It recovers
 * the same signer from `ecrecover`, which is why ECDSA libraries must refuse high-s values.
 */
export function toHighS(signature: Hex): { signature: Hex; s: Hex } {
  const { r, s, yParity } = parseSignature(signature);
  const highS = numberToHex(secp256k1Order - BigInt(s), { size: 32 });
  return { signature: concat([r, highS, toHex(yParity === 0 ? 28 : 27, { size: 1 })]), s: highS };
}
