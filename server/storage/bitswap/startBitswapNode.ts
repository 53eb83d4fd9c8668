import type { Blockstore } from "interface-blockstore";

import { withBitswap } from "@helia/bitswap";
import { withLibp2pLight } from "@helia/libp2p";
import { createHeliaLight } from "helia";
import { loopbackLibp2pOptions } from "./loopbackLibp2pOptions.js";

export type StartBitswapNodeParameters = {
  /** The blocks to offer, e.g. the embedded store's `blockstore`. */
  blockstore: Blockstore;
  /** Defaults to one ephemeral TCP port on 127.0.0.1. */
  listenAddresses?: string[];
};

export type StartBitswapNodeReturnType = {
  peerId: string;
  multiaddrs: string[];
  stop(): Promise<void>;
};

/**
 * Serve our blocks over libp2p bitswap so any IPFS node (a collector's own Kubo or Helia) can fetch
 * an edition by CID and verify it itself. Opt-in and separate from the store: the embedded store
 * stays network-free unless this is started. No routers and no discovery are configured, so the node
 * answers peers that dial it and never looks anything up or fetches blocks it lacks.
 */
export async function startBitswapNode(params: StartBitswapNodeParameters): Promise<StartBitswapNodeReturnType> {
  const helia = withBitswap(
    withLibp2pLight(createHeliaLight({ blockstore: params.blockstore, routers: [] }), loopbackLibp2pOptions({ listenAddresses: params.listenAddresses })),
  );
  await helia.start();
  return {
    peerId: helia.libp2p.peerId.toString(),
    multiaddrs: helia.libp2p.getMultiaddrs().map((multiaddr) => multiaddr.toString()),
    stop: async () => {
      await helia.stop();
    },
  };
}
