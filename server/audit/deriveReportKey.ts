import type { Hex } from "viem";

import { hkdfSync } from "node:crypto";

import { mnemonicToSeedSync } from "@scure/bip39";
import { bytesToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** The key the platform signs the verification reports it serves with, and its published address. */
export interface ReportKey {
  privateKey: Hex;
  address: Hex;
}

/**
 * The report-signing key, from the issuer-keys mnemonic the platform already holds (ISSUER_KEYS_MNEMONIC):
 * HKDF-SHA256 over its BIP-39 seed with its own `info`, so it is independent of every issuer key and of the
 * claim-code key derived from the same seed, and every instance of a cluster signs with the same key. Its
 * address is published at `GET /api/report-key`; an auditor names it with `--check-report --signer`.
 */
export function deriveReportKey(mnemonic: string): ReportKey {
  const seed = mnemonicToSeedSync(mnemonic);
  const privateKey = bytesToHex(new Uint8Array(hkdfSync("sha256", seed, "vermilion", "vermilion report signing key", 32)));
  return { privateKey, address: privateKeyToAccount(privateKey).address };
}
