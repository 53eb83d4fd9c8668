import type { Address, Hex } from "viem";
import type { MintVoucher } from "../../../server/chain/mintVoucherTypedData.js";
import type { VermilionFixture } from "./deployVermilion.js";

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
