import type { Hex } from "viem";
import type { Config } from "../config/loadConfig.js";

import { readKeystore } from "../chain/readKeystore.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../config/loadConfig.js";

/** The platform signer's private key: given, read from an encrypted keystore, or the first dev key. */
export async function resolveSignerKey(signer: Config["signer"]): Promise<Hex> {
  switch (signer.kind) {
    case "privateKey":
      return signer.privateKey;
    case "keystore":
      return readKeystore(signer.keystorePath, signer.password);
    case "devDefault":
      return WELL_KNOWN_DEV_PRIVATE_KEYS[0]!;
  }
}
