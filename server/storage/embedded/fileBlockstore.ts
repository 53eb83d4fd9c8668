import type { Blockstore, InputPair, Pair } from "interface-blockstore";

import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { base32upper } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";
import { VermilionError } from "../../errors/VermilionError.js";

type AbortOptions = { signal?: AbortSignal };

export type FileBlockstoreOptions = {
  /** fsync each block before it is renamed into place (default true): pinned content must survive a power cut. */
  syncWrites?: boolean;
};

/**
 * Blocks as files, one per block, in Kubo's flatfs layout (`<next-to-last 2 chars>/<BASE32 multihash>.data`,
 * `/repo/flatfs/shard/v1/next-to-last/2`), keyed by multihash like Kubo, so the same bytes under a
 * CIDv0 and a CIDv1 are one file.
 *
 * Written here rather than using blockstore-fs because that one (a) writes through `steno`, whose
 * temp file is named after the target, so concurrent puts of one block collide and stall ~1 s in
 * rename retries, (b) reads every block through a file stream, several times slower than one
 * `readFile` for blocks of at most 1 MiB, and (c) never fsyncs. Writes go to a unique temp file, are
 * optionally fsynced, and are renamed into place, so a reader never sees a partial block.
 */
export class FileBlockstore implements Blockstore {
  readonly path: string;
  private readonly syncWrites: boolean;
  private readonly createdDirectories = new Set<string>();

  constructor(path: string, options: FileBlockstoreOptions = {}) {
    this.path = path;
    this.syncWrites = options.syncWrites ?? true;
  }

  async open(): Promise<void> {
    await mkdir(this.path, { recursive: true });
  }

  async close(): Promise<void> {}

  private locate(cid: CID): { directory: string; file: string } {
    const name = base32upper.encoder.encode(cid.multihash.bytes).slice(1);
    const directory = join(this.path, name.slice(-3, -1));
    return { directory, file: join(directory, `${name}.data`) };
  }

  async put(cid: CID, bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    options?.signal?.throwIfAborted();
    const { directory, file } = this.locate(cid);
    if (!this.createdDirectories.has(directory)) {
      await mkdir(directory, { recursive: true });
      this.createdDirectories.add(directory);
    }
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await open(temporary, "w");
    try {
      if (bytes instanceof Uint8Array) await handle.write(bytes);
      else for await (const chunk of bytes) await handle.write(chunk);
      if (this.syncWrites) await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return cid;
  }

  async *get(cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    options?.signal?.throwIfAborted();
    try {
      yield await readFile(this.locate(cid).file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new VermilionError("CONTENT_NOT_FOUND", { cid: cid.toString() }, { cause: error });
      }
      throw error;
    }
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    options?.signal?.throwIfAborted();
    try {
      await stat(this.locate(cid).file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  async *putMany(source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) yield await this.put(cid, bytes, options);
  }

  async *getMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) yield { cid, bytes: this.get(cid, options) };
  }

  async *deleteMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options);
      yield cid;
    }
  }

  /** Every stored block. Files are keyed by multihash only, so CIDs come back as CIDv1 `raw` (as in Kubo). */
  async *getAll(options?: AbortOptions): AsyncGenerator<Pair> {
    for (const directory of await readdir(this.path)) {
      for (const name of await readdir(join(this.path, directory))) {
        if (!name.endsWith(".data")) continue;
        const multihash = base32upper.decoder.decode(`B${name.slice(0, -".data".length)}`);
        const cid = CID.createV1(raw.code, Digest.decode(multihash));
        yield { cid, bytes: this.get(cid, options) };
      }
    }
  }

  async delete(cid: CID, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted();
    try {
      await unlink(this.locate(cid).file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}
