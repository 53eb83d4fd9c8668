import { sha256 } from "multiformats/hashes/sha2";
import { bytesToHex } from "viem";

/**
 * `0x` + the SHA-256 of `bytes`. multiformats hashes with node:crypto in Node and WebCrypto in a browser,
 * so media of many megabytes hash at native speed in both.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<`0x${string}`> {
  return bytesToHex((await sha256.digest(bytes)).digest);
}
