import type { Address, HDAccount, HDKey } from "viem";

import { hdKeyToAccount } from "viem/accounts";

import { toStoredAddress } from "../../chain/toStoredAddress.js";

/** An issuer's two platform-held keys, derived (BIP-32/BIP-44) from the issuer-keys mnemonic. */
export interface IssuerAccounts {
  /** m/44'/60'/<keyIndex>'/0/0: the admin of a custodial issuer's collections. */
  custodialAdmin: HDAccount;
  /** m/44'/60'/<keyIndex>'/0/1: holds only the issuing role; sends the issuer's mints, editions and vouchers. */
  operating: HDAccount;
}

/**
 * Derives an issuer's keys with viem's HD accounts (BIP-32 path, BIP-44 layout) from the master key of
 * the issuer-keys mnemonic, so any standard wallet given the mnemonic and the path finds the same keys:
 * the platform invents no key scheme. Addresses are lowercased here, where they enter the platform.
 */
export function deriveIssuerAccounts(root: HDKey, keyIndex: number): IssuerAccounts {
  if (!Number.isInteger(keyIndex) || keyIndex < 1 || keyIndex >= 2 ** 31) {
    throw new RangeError(`issuer key index must be an integer in [1, 2^31): ${keyIndex}`);
  }
  const derive = (addressIndex: number): HDAccount => {
    const account = hdKeyToAccount(root, { accountIndex: keyIndex, changeIndex: 0, addressIndex });
    return { ...account, address: toStoredAddress(account.address) as Address };
  };
  return { custodialAdmin: derive(0), operating: derive(1) };
}
