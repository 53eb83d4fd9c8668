import type { Address, LocalAccount, PublicClient } from "viem";

import { mnemonicToSeedSync } from "@scure/bip39";
import { keccak256, toBytes } from "viem";
import { HDKey, privateKeyToAccount } from "viem/accounts";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { WELL_KNOWN_DEV_MNEMONIC, WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { deriveIssuerAccounts } from "../../server/issuers/accounts/deriveIssuerAccounts.js";

const ISSUER_ROLE = keccak256(toBytes("ISSUER_ROLE"));
const platformSigner = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!);
let root: HDKey | undefined;

/**
 * The account holding ISSUER_ROLE on `collection` whose key a test knows: the platform's (dev) key for a
 * collection made the old way, else an issuer's operating key derived from the dev mnemonic as the
 * server derives it (the first `maxKeyIndex` issuers), given gas with `anvil_setBalance` for the
 * test's own setup transactions.
 */
export async function issuingAccount(publicClient: PublicClient, collection: Address, maxKeyIndex = 200): Promise<LocalAccount> {
  const holds = (account: Address) =>
    publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [ISSUER_ROLE, account] });
  if (await holds(platformSigner.address)) return platformSigner;
  root ??= HDKey.fromMasterSeed(mnemonicToSeedSync(WELL_KNOWN_DEV_MNEMONIC));
  for (let keyIndex = 1; keyIndex <= maxKeyIndex; keyIndex++) {
    const { operating } = deriveIssuerAccounts(root, keyIndex);
    if (!(await holds(operating.address))) continue;
    await publicClient.request({ method: "anvil_setBalance" as never, params: [operating.address, "0x8ac7230489e80000"] as never });
    return operating;
  }
  throw new Error(`no key the test knows holds ISSUER_ROLE on ${collection}`);
}
