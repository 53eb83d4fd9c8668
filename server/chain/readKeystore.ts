import type { Hex } from "viem";

import { createDecipheriv, pbkdf2Sync, scryptSync, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";

import { bytesToHex, concatBytes, hexToBytes, keccak256 } from "viem";
import { z } from "zod";

import { ConfigError } from "../config/loadConfig.js";

const keystoreSchema = z.object({
  version: z.literal(3),
  crypto: z.object({
    cipher: z.literal("aes-128-ctr"),
    ciphertext: z.string(),
    cipherparams: z.object({ iv: z.string() }),
    kdf: z.enum(["scrypt", "pbkdf2"]),
    kdfparams: z.object({
      dklen: z.number(),
      salt: z.string(),
      n: z.number().optional(),
      r: z.number().optional(),
      p: z.number().optional(),
      c: z.number().optional(),
      prf: z.string().optional(),
    }),
    mac: z.string(),
  }),
});

function fromHex(text: string): Uint8Array {
  return hexToBytes((text.startsWith("0x") ? text : `0x${text}`) as Hex);
}

type KeystoreCrypto = z.infer<typeof keystoreSchema>["crypto"];

function deriveKey(crypto: KeystoreCrypto, password: string, salt: Uint8Array): Buffer {
  try {
    return crypto.kdf === "scrypt"
      ? scryptSync(password, salt, crypto.kdfparams.dklen, {
          N: crypto.kdfparams.n ?? 262_144,
          r: crypto.kdfparams.r ?? 8,
          p: crypto.kdfparams.p ?? 1,
          maxmem: 1024 * 1024 * 1024,
        })
      : pbkdf2Sync(password, salt, crypto.kdfparams.c ?? 262_144, crypto.kdfparams.dklen, "sha256");
  } catch (cause) {
    throw Object.assign(
      new ConfigError([
        { field: "SIGNER_KEYSTORE", message: `has key-derivation parameters this platform cannot use (${crypto.kdf})` },
      ]),
      { cause },
    );
  }
}

/**
 * Decrypts an Ethereum V3 keystore file (what geth, Foundry's `cast wallet` and ethers write) and
 * returns its private key. A wrong password fails the MAC check; the key is never logged.
 */
export async function readKeystore(keystorePath: string, password: string): Promise<Hex> {
  let parsed: z.infer<typeof keystoreSchema>;
  try {
    parsed = keystoreSchema.parse(JSON.parse(await readFile(keystorePath, "utf8")));
  } catch (cause) {
    throw Object.assign(
      new ConfigError([{ field: "SIGNER_KEYSTORE", message: `is not a readable V3 keystore (${keystorePath})` }]),
      { cause },
    );
  }
  const { crypto } = parsed;
  const derivedKey = deriveKey(crypto, password, fromHex(crypto.kdfparams.salt));
  const ciphertext = fromHex(crypto.ciphertext);
  const mac = hexToBytes(keccak256(concatBytes([derivedKey.subarray(16, 32), ciphertext])));
  const expectedMac = fromHex(crypto.mac);
  if (mac.length !== expectedMac.length || !timingSafeEqual(mac, expectedMac)) {
    throw new ConfigError([{ field: "SIGNER_KEYSTORE_PASSWORD", message: "does not unlock SIGNER_KEYSTORE" }]);
  }
  const decipher = createDecipheriv("aes-128-ctr", derivedKey.subarray(0, 16), fromHex(crypto.cipherparams.iv));
  return bytesToHex(concatBytes([decipher.update(ciphertext), decipher.final()]));
}
