import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";
import type { BlockGetter } from "./blockBytes.js";

import { CarBlockIterator } from "@ipld/car/iterator";
import { CarWriter } from "@ipld/car/writer";
import { verifyBlock as verifyBlockBytes } from "vermilion-verify/content/verifyBlock.js";
import { fromVerifierError } from "../errors/fromVerifierError.js";
import { VermilionError } from "../errors/VermilionError.js";
import { walkDag } from "./walkDag.js";

export type ExportCarParameters = { roots: CID[]; signal?: AbortSignal };

export type ExportCarReturnType = AsyncIterable<Uint8Array>;

/**
 * Stream a CARv1 holding every block under `roots` in depth-first order, each block once
 * (`application/vnd.ipld.car; version=1; order=dfs; dups=n`). Blocks shared between roots (an
 * edition's media referenced from many metadata files) are written once.
 */
export function exportCar(deps: { blockstore: BlockGetter }, parameters: ExportCarParameters): ExportCarReturnType {
  const { writer, out } = CarWriter.create(parameters.roots);
  const pump = (async () => {
    try {
      for await (const { cid, bytes } of walkDag(deps.blockstore, { roots: parameters.roots, signal: parameters.signal })) {
        await writer.put({ cid, bytes });
      }
    } finally {
      await writer.close();
    }
  })();
  return (async function* () {
    // Surface a failed walk (missing block) to the reader instead of a silently short CAR.
    let failure: unknown;
    pump.catch((error: unknown) => {
      failure = error;
    });
    for await (const chunk of out) yield chunk;
    await pump.catch(() => undefined);
    if (failure !== undefined) throw failure;
  })();
}

export type ImportCarParameters = { car: AsyncIterable<Uint8Array> | Iterable<Uint8Array>; signal?: AbortSignal };

export type ImportCarReturnType = { roots: CID[]; blockCount: number; cids: CID[] };

/**
 * Store every block of a CARv1 after checking that it hashes to its CID; the first bad block aborts
 * the import with BLOCK_HASH_MISMATCH and removes what it had written. Only sha2-256 (and identity)
 * multihashes are accepted: anything else could not be verified here.
 */
export async function importCar(
  deps: { blockstore: Pick<Blockstore, "put" | "has" | "delete"> },
  parameters: ImportCarParameters,
): Promise<ImportCarReturnType> {
  let reader: CarBlockIterator;
  try {
    reader = await CarBlockIterator.fromIterable(asAsyncIterable(parameters.car));
  } catch (error) {
    throw new VermilionError("CAR_INVALID", { reason: (error as Error).message }, { cause: error });
  }
  const cids: CID[] = [];
  // Blocks this import wrote, removed again if a later block fails, so a bad CAR leaves no trace.
  const written: CID[] = [];
  try {
    for await (const block of reader) {
      parameters.signal?.throwIfAborted();
      await verifyBlock(block.cid, block.bytes);
      if (!(await deps.blockstore.has(block.cid))) {
        await deps.blockstore.put(block.cid, block.bytes);
        written.push(block.cid);
      }
      cids.push(block.cid);
    }
  } catch (error) {
    for (const cid of written) await deps.blockstore.delete(cid);
    if (error instanceof VermilionError) throw error;
    throw new VermilionError("CAR_INVALID", { reason: (error as Error).message }, { cause: error });
  }
  return { roots: await reader.getRoots(), blockCount: cids.length, cids };
}

/** CarBlockIterator insists on an async iterable; accept a buffer array too. */
export async function* asAsyncIterable(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* source;
}

/** Throw BLOCK_HASH_MISMATCH unless `bytes` hash to `cid`'s multihash: the verifier's check, its refusal as the platform's error. */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  try {
    await verifyBlockBytes(cid, bytes);
  } catch (error) {
    throw fromVerifierError(error);
  }
}
