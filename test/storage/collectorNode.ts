/**
 * A collector's own IPFS node, run as a separate process by startBitswapNode.test.ts: it dials the
 * peer it is given (loopback only), fetches an edition's metadata document and media over bitswap
 * — Helia checks every block against its CID as it arrives — and prints what it got as JSON.
 *
 * argv[2]: JSON { peer, metadataCid, serial, mediaCid, timeoutMs? }
 */
import { createHash } from "node:crypto";
import { withBitswap } from "@helia/bitswap";
import { withLibp2pLight } from "@helia/libp2p";
import { multiaddr } from "@multiformats/multiaddr";
import { createHeliaLight } from "helia";
import { exporter } from "ipfs-unixfs-exporter";
import { loopbackLibp2pOptions } from "../../server/storage/bitswap/loopbackLibp2pOptions.js";

const request = JSON.parse(process.argv[2] ?? "{}") as { peer: string; metadataCid: string; serial: number; mediaCid: string; timeoutMs?: number };

async function readAll(path: string, blockstore: Parameters<typeof exporter>[1], signal: AbortSignal): Promise<Buffer> {
  const entry = await exporter(path, blockstore, { signal });
  if (entry.type !== "file" && entry.type !== "raw") throw new Error(`${path} is a ${entry.type}`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of entry.content({ signal })) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const helia = withBitswap(withLibp2pLight(createHeliaLight({ routers: [] }), loopbackLibp2pOptions()));
await helia.start();
try {
  await helia.libp2p.dial(multiaddr(request.peer));
  const signal = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  const metadata = await readAll(`${request.metadataCid}/${request.serial}.json`, helia.blockstore, signal);
  const media = await readAll(request.mediaCid, helia.blockstore, signal);
  process.stdout.write(
    `${JSON.stringify({ metadata: metadata.toString("utf8"), mediaSha256: createHash("sha256").update(media).digest("hex"), mediaBytes: media.byteLength })}\n`,
  );
} finally {
  await helia.stop();
}
