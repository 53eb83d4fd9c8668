import type { Config } from "../config/loadConfig.js";
import type { ContentStore } from "../storage/contentStore.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import path from "node:path";

import { countingPinFailures } from "../metrics/countingPinFailures.js";
import { createContentStore } from "../storage/createContentStore.js";

export interface OpenContentStoreDeps {
  shutdown: Pick<ShutdownStack, "defer">;
  /** Told of every pin that failed (the metrics count them). */
  onPinFailure: () => void;
}

export interface OpenContentStoreParameters {
  config: Pick<Config, "ipfsApiUrl" | "dataDir">;
}

/** The IPFS store: a Kubo node at IPFS_API_URL, or the embedded Helia under DATA_DIR/ipfs; closed on shutdown. */
export async function openContentStore(deps: OpenContentStoreDeps, parameters: OpenContentStoreParameters): Promise<ContentStore> {
  const { config } = parameters;
  const openedStore = await createContentStore(
    config.ipfsApiUrl
      ? { kind: "kubo", apiUrl: config.ipfsApiUrl }
      : { kind: "embedded", dataDir: path.join(config.dataDir, "ipfs") },
  );
  deps.shutdown.defer(() => openedStore.close());
  return countingPinFailures(openedStore, deps.onPinFailure);
}
