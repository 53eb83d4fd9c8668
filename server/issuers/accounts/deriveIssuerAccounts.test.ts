import { mnemonicToSeedSync } from "@scure/bip39";
import { HDNodeWallet } from "ethers";
import { HDKey } from "viem/accounts";
import { describe, expect, it } from "vitest";

import { WELL_KNOWN_DEV_MNEMONIC } from "../../config/loadConfig.js";
import { deriveIssuerAccounts } from "./deriveIssuerAccounts.js";

const root = HDKey.fromMasterSeed(mnemonicToSeedSync(WELL_KNOWN_DEV_MNEMONIC));

describe("deriveIssuerAccounts", () => {
  it("derives the BIP-44 paths an independent wallet (ethers) derives from the same mnemonic", () => {
    for (const keyIndex of [1, 2, 7, 2 ** 31 - 1]) {
      const accounts = deriveIssuerAccounts(root, keyIndex);
      const admin = HDNodeWallet.fromPhrase(WELL_KNOWN_DEV_MNEMONIC, undefined, `m/44'/60'/${keyIndex}'/0/0`);
      const operating = HDNodeWallet.fromPhrase(WELL_KNOWN_DEV_MNEMONIC, undefined, `m/44'/60'/${keyIndex}'/0/1`);
      expect(accounts.custodialAdmin.address).toBe(admin.address.toLowerCase());
      expect(accounts.operating.address).toBe(operating.address.toLowerCase());
    }
  });

  it("never derives the dev accounts Anvil funds (m/44'/60'/0'/0/i): index 0 is refused", () => {
    expect(() => deriveIssuerAccounts(root, 0)).toThrow(RangeError);
    expect(() => deriveIssuerAccounts(root, 2 ** 31)).toThrow(RangeError);
    expect(deriveIssuerAccounts(root, 1).custodialAdmin.address).not.toBe("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  });

  it("signs with the derived key", async () => {
    const { operating } = deriveIssuerAccounts(root, 3);
    const wallet = HDNodeWallet.fromPhrase(WELL_KNOWN_DEV_MNEMONIC, undefined, "m/44'/60'/3'/0/1");
    expect(await operating.signMessage({ message: "vermilion" })).toBe(await wallet.signMessage("vermilion"));
  });
});
