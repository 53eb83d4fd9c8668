import type { Multiaddr } from "@multiformats/multiaddr";
import type { CreateLibp2pOptions } from "@helia/libp2p";

import { identify } from "@libp2p/identify";
import { noise } from "@libp2p/noise";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";

/**
 * A libp2p configuration with every part named and nothing defaulted: TCP on 127.0.0.1 only, no
 * bootstrap list, no mDNS, no DHT, no delegated routing, no relay/UPnP/AutoNAT, and a connection
 * gater that refuses to dial anything but loopback — so the node can talk to a peer we hand it
 * and to nothing else.
 */
export function loopbackLibp2pOptions(params: { listenAddresses?: string[] } = {}): CreateLibp2pOptions<{ identify: ReturnType<ReturnType<typeof identify>> }> {
  return {
    addresses: { listen: params.listenAddresses ?? ["/ip4/127.0.0.1/tcp/0"], announce: [], noAnnounce: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [],
    services: { identify: identify() },
    connectionGater: {
      denyDialMultiaddr: (multiaddr: Multiaddr) => !isLoopback(multiaddr),
    },
  };
}

export function isLoopback(multiaddr: Multiaddr): boolean {
  const text = multiaddr.toString();
  return text.startsWith("/ip4/127.") || text.startsWith("/ip6/::1/");
}
