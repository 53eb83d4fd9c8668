import type { Address, Hex } from "viem";
import type { MintVoucher } from "../../../server/chain/mintVoucherTypedData.js";
import type { VermilionFixture } from "./deployVermilion.js";

import { concat, numberToHex, parseSignature, toHex } from "viem";

import { mintVoucherTypedData } from "../../../server/chain/mintVoucherTypedData.js";

/** Signs `voucher` for the collection at `verifyingContract` with `signer`'s key (eth_signTypedData_v4). */
export async function signVoucher(
  signer: VermilionFixture["issuer"],
  chainId: number,
  verifyingContract: Address,
  voucher: MintVoucher,
): Promise<Hex> {
  return signer.signTypedData({ account: signer.account, ...mintVoucherTypedData(chainId, verifyingContract, voucher) });
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
