import { createHash, createHmac, hkdfSync } from "node:crypto";

import { mnemonicToSeedSync } from "@scure/bip39";

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives. */
const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Characters per code: 20 × 5 = 100 bits, beyond guessing at any request rate. */
export const CLAIM_CODE_LENGTH = 20;

/** The secret claim codes are derived with (32 bytes); never stored, never sent. */
export type ClaimCodeKey = Buffer;

/**
 * The claim-code key, from the issuer-keys mnemonic the platform already holds (ISSUER_KEYS_MNEMONIC):
 * HKDF-SHA256 over its BIP-39 seed with its own `info`, so it is independent of every issuer key
 * derived from the same seed, and a restarted (or another) instance derives the same codes again.
 */
export function deriveClaimCodeKey(mnemonic: string): ClaimCodeKey {
  const seed = mnemonicToSeedSync(mnemonic);
  return Buffer.from(hkdfSync("sha256", seed, "vermilion", "vermilion claim codes", 32));
}

function base32(bytes: Uint8Array, characters: number): string {
  let text = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && text.length < characters) {
      text += CROCKFORD_ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (text.length === characters) break;
  }
  return text;
}

/** Code `number` (1-based) of batch `batchId`: base32(HMAC-SHA256(key, batch id bytes ‖ number)), 100 bits. */
export function claimCodeOf(key: ClaimCodeKey, batchId: string, number: number): string {
  const message = Buffer.alloc(20);
  Buffer.from(batchId.replaceAll("-", ""), "hex").copy(message, 0);
  message.writeUInt32BE(number, 16);
  return base32(createHmac("sha256", key).update(message).digest(), CLAIM_CODE_LENGTH);
}

/**
 * A code as typed or scanned, in its one stored form: upper case, separators removed, and the letters
 * Crockford reads as digits (I, L → 1; O → 0) mapped; undefined when it cannot be a code.
 */
export function normalizeClaimCode(text: string): string | undefined {
  const code = text
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  if (code.length !== CLAIM_CODE_LENGTH) return undefined;
  for (const character of code) if (!CROCKFORD_ALPHABET.includes(character)) return undefined;
  return code;
}

/** What the database holds of a code: its SHA-256 (hex) of the normalized form. */
export function claimCodeSha256(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

/** A hold token's stored form: only its SHA-256, like the code's. */
export function holdTokenSha256(holdToken: string): string {
  return createHash("sha256").update(`hold:${holdToken}`).digest("hex");
}

/** A code printed for people: four groups of five (`ABCDE-FGHJK-MNPQR-STVWX`); the URL uses the plain form. */
export function groupClaimCode(code: string): string {
  return code.match(/.{1,5}/g)!.join("-");
}
