import type { Hex } from "viem";
import type { ProvenanceBundle } from "vermilion-verify/bundle/provenanceBundle.js";

import { createMPT } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes, keccak256 } from "viem";

/** `hex` with the byte at `offset` (counted after 0x) inverted: one altered byte. */
export function flipByte(hex: string, offset: number): string {
  const bytes = hexToBytes(hex as Hex);
  if (offset >= bytes.length) throw new Error(`offset ${offset} is past the ${bytes.length} bytes`);
  bytes[offset] = bytes[offset]! ^ 0xff;
  return bytesToHex(bytes);
}

async function listTrieRoot(items: readonly string[]): Promise<Uint8Array> {
  const trie = await createMPT();
  for (const [index, item] of items.entries()) await trie.put(RLP.encode(index), hexToBytes(item as Hex));
  return trie.root();
}

/**
 * What a forger who wants a bundle to pass offline must do after replacing an address: rewrite the
 * recorded answers and the receipts' logs (and the transactions naming it), give each altered block the
 * roots of its new tries, and re-chain every header from the lowest altered one up to the pinned block,
 * whose hash the bundle then names. (The blooms are left alone: no query here looks for the new address.)
 * A bundle forged this way is consistent in itself; only a trusted block hash tells it from the chain.
 */
export async function forgeConsistently(root: ProvenanceBundle, replaced: string, by: string): Promise<void> {
  const pattern = new RegExp(replaced.slice(2), "gi");
  const replacement = by.slice(2).toLowerCase();
  root.answers = JSON.parse(JSON.stringify(root.answers).replace(pattern, replacement)) as ProvenanceBundle["answers"];
  const proofs = root.proofs!;
  const first = BigInt(proofs.firstBlock);
  const headers = proofs.headers.map((header) => RLP.decode(hexToBytes(header as Hex)) as Uint8Array[]);
  let lowestAltered = headers.length;
  for (const body of proofs.blocks) {
    const receipts = body.receipts.map((receipt) => receipt.replace(pattern, replacement));
    const transactions = body.transactions.map((transaction) => transaction.replace(pattern, replacement));
    if (receipts.join() === body.receipts.join() && transactions.join() === body.transactions.join()) continue;
    body.receipts = receipts;
    body.transactions = transactions;
    const index = Number(BigInt(body.number) - first);
    headers[index]![4] = await listTrieRoot(transactions);
    headers[index]![5] = await listTrieRoot(receipts);
    lowestAltered = Math.min(lowestAltered, index);
  }
  if (lowestAltered === headers.length) throw new Error(`no block of the bundle names ${replaced}`);
  const encoded = headers.map((fields) => RLP.encode(fields));
  for (let index = lowestAltered + 1; index < headers.length; index++) {
    headers[index]![0] = hexToBytes(keccak256(encoded[index - 1]!));
    encoded[index] = RLP.encode(headers[index]!);
  }
  proofs.headers = encoded.map((bytes) => bytesToHex(bytes));
  root.pinnedBlock.hash = keccak256(encoded.at(-1)!);
}
