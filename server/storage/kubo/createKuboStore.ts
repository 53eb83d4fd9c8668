import type { CID } from "multiformats/cid";
import type { ContentSource, ContentStore, PinRecord } from "../contentStore.js";

import { CarBlockIterator } from "@ipld/car/iterator";
import { CarWriter } from "@ipld/car/writer";
import { create, type KuboRPCClient } from "kubo-rpc-client";
import { addDirectory } from "../addDirectory.js";
import { discardingBlockstore } from "vermilion-verify/shared/addFile.js";
import { computeFileCid } from "../computeFileCid.js";
import { asAsyncIterable, exportCar, verifyBlock } from "../carArchive.js";
import { blockReader } from "../gateway/blockReader.js";
import { kuboAddOptionsFor, type ImportProfile } from "vermilion-verify/shared/importProfiles.js";
import { catContent, statContent } from "../readContent.js";
import { VermilionError } from "../../errors/VermilionError.js";

export type CreateKuboStoreParameters = {
  /** Kubo's RPC endpoint, e.g. `http://127.0.0.1:5001`. */
  apiUrl: string;
  profile?: ImportProfile;
  timeoutMs?: number;
  now?: () => Date;
};

export type CreateKuboStoreReturnType = ContentStore & { readonly client: KuboRPCClient };

/**
 * The content store backed by a remote Kubo node. Every import is also computed locally with the
 * same settings, and Kubo's answer is only pinned if its CID equals ours (CID_MISMATCH otherwise):
 * a node configured differently (chunker, CID version, HAMT threshold) must not silently change what
 * our tokens commit to. Blocks read back are hash-checked, so a faulty node cannot feed us bad bytes.
 *
 * Content is imported twice (locally for the CID, then to Kubo): read again through `reopen` when the
 * caller gives one (media, from its temporary file), else buffered in memory (thumbnails and metadata
 * documents are small).
 */
export function createKuboStore(parameters: CreateKuboStoreParameters): CreateKuboStoreReturnType {
  const profile = parameters.profile ?? "kubo-v1";
  const now = parameters.now ?? (() => new Date());
  const client = create({ url: parameters.apiUrl, timeout: parameters.timeoutMs ?? 60_000 });
  const addOptions = kuboAddOptionsFor(profile);
  // Global `--offline`: reads must answer from Kubo's own repo, never by fetching from its peers.
  const offline = () => extraQuery({ offline: "true" });

  const remote = async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof VermilionError) throw error;
      throw toVermilionError(error);
    }
  };

  const pin = async (cid: CID, label: string): Promise<PinRecord> => {
    await remote(() => client.pin.add(cid, { recursive: true, ...extraQuery({ name: label }) }));
    return { cid, label, pinnedAt: now().toISOString() };
  };

  const getBlock = async (cid: CID): Promise<Uint8Array> => {
    const bytes = await remote(() => client.block.get(cid, offline()));
    await verifyBlock(cid, bytes);
    return bytes;
  };
  const reader = { getBlock, has: (cid: CID) => store.has(cid) };

  const store: CreateKuboStoreReturnType = {
    kind: "kubo",
    profile,
    client,
    async addFile({ content, reopen, pin: pinAs }) {
      // With a way to read the bytes again, both passes stream; without one, the bytes are held for the second.
      const firstPass = reopen ? content : await collect(content);
      const local = await computeFileCid({ content: firstPass, profile });
      const added = await remote(() => client.add(reopen ? reopen() : firstPass, { ...addOptions, pin: false, wrapWithDirectory: false }));
      assertSameCid(added.cid, local.cid);
      if (pinAs !== undefined) await pin(local.cid, pinAs.label);
      return local;
    },
    async addDirectory({ entries, pin: pinAs }) {
      const collected: Array<{ path: string; content: Uint8Array[] }> = [];
      for await (const entry of entries) collected.push({ path: entry.path, content: await collect(entry.content) });
      const local = await addDirectory({ blockstore: discardingBlockstore }, { entries: collected, profile });
      let remoteRoot: CID | undefined;
      for await (const result of client.addAll(
        collected.map((entry) => ({ path: entry.path, content: entry.content })),
        { ...addOptions, pin: false, wrapWithDirectory: true },
      )) {
        if (result.path === "") remoteRoot = result.cid;
      }
      if (remoteRoot === undefined) throw new VermilionError("IPFS_NODE_UNAVAILABLE", { reason: "Kubo returned no directory root" });
      assertSameCid(remoteRoot, local.cid);
      if (pinAs !== undefined) await pin(local.cid, pinAs.label);
      return local;
    },
    cat: (query) => catContent({ blockstore: blockReader(reader) }, query),
    stat: (query) => statContent({ blockstore: blockReader(reader) }, query),
    getBlock,
    async has(cid) {
      try {
        await client.block.stat(cid, offline());
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw toVermilionError(error);
      }
    },
    pin,
    async unpin(cid) {
      await remote(() => client.pin.rm(cid));
    },
    async listPins() {
      const pins: PinRecord[] = [];
      await remote(async () => {
        for await (const entry of client.pin.ls({ type: "recursive", ...extraQuery({ names: "true" }) })) {
          pins.push({ cid: entry.cid, label: entry.name ?? "", pinnedAt: "" });
        }
      });
      return pins;
    },
    exportCar: ({ roots }) => exportCar({ blockstore: blockReader(reader) }, { roots }),
    async importCar({ car, pin: pinAs }) {
      // Re-stream the CAR to Kubo block by block, each verified first; Kubo never sees an unchecked block.
      let source: CarBlockIterator;
      try {
        source = await CarBlockIterator.fromIterable(asAsyncIterable(car));
      } catch (error) {
        throw new VermilionError("CAR_INVALID", { reason: (error as Error).message }, { cause: error });
      }
      const roots = await source.getRoots();
      const { writer, out } = CarWriter.create(roots);
      let blockCount = 0;
      const feeding = (async () => {
        try {
          for await (const block of source) {
            await verifyBlock(block.cid, block.bytes);
            await writer.put(block);
            blockCount++;
          }
        } finally {
          await writer.close();
        }
      })();
      const importing = remote(async () => {
        for await (const _result of client.dag.import(out, { pinRoots: false })) {
          // results only report roots; failures surface as thrown errors
        }
      });
      await Promise.all([feeding, importing]);
      if (pinAs !== undefined) for (const root of roots) await pin(root, pinAs.label);
      return { roots, blockCount };
    },
    close: async () => undefined,
  };
  return store;
}

/**
 * Extra RPC query parameters. kubo-rpc-client 7 types `searchParams` as URLSearchParams but merges
 * it with object spread, which copies nothing from a URLSearchParams: only a plain object works.
 */
function extraQuery(parameters: Record<string, string>): { searchParams: URLSearchParams } {
  return { searchParams: parameters as unknown as URLSearchParams };
}

function assertSameCid(remoteCid: CID, localCid: CID): void {
  // Compared as strings: CID.equals is a type guard that would narrow `localCid` to never here.
  if (remoteCid.toString() !== localCid.toString()) {
    throw new VermilionError("CID_MISMATCH", { remoteCid: remoteCid.toString(), localCid: localCid.toString() });
  }
}

async function collect(content: ContentSource): Promise<Uint8Array[]> {
  if (content instanceof Uint8Array) return [content];
  const chunks: Uint8Array[] = [];
  for await (const chunk of content) chunks.push(Uint8Array.from(chunk));
  return chunks;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNotFound(error: unknown): boolean {
  const message = reasonOf(error);
  return /not found|no such|blockservice: key not found|ipld: could not find/i.test(message);
}

/** Kubo's "not found" means absent content (final); anything else is the node or network (retryable). */
function toVermilionError(error: unknown): VermilionError {
  if (isNotFound(error)) return new VermilionError("CONTENT_NOT_FOUND", { cid: "requested content" }, { cause: error });
  return new VermilionError("IPFS_NODE_UNAVAILABLE", { reason: reasonOf(error) }, { cause: error });
}
