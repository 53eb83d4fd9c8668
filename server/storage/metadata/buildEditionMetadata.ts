import type { CID } from "multiformats/cid";
import type { ContentStore, DirectoryEntryInput } from "../contentStore.js";

import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { renderTokenMetadata, type MetadataTemplate } from "./metadataTemplate.js";
import { buildTokenMetadata, parseEditionMetadataInput, type EditionMetadataInput } from "./tokenMetadata.js";

export type BuildEditionMetadataParameters = {
  edition: EditionMetadataInput;
  pin?: { label: string };
  /** Told how many documents are written so far, every `PROGRESS_EVERY_DOCUMENTS` and at the end (a job records it). */
  onProgress?: (documentsWritten: number) => void | Promise<void>;
};

export type BuildEditionMetadataReturnType = {
  /** The UnixFS directory holding `<serial>.json` for every serial 1..maxSupply. */
  metadataCid: CID;
  /** Per-locale documents (`<locale>/<serial>.json`), when translations were given. */
  localizedCid?: CID;
  documentCount: number;
  /** What renders each main document again without the store (`recordMetadataTemplate` keeps it). */
  template: MetadataTemplate;
  /** `ipfs://<metadataCid>/<serial>.json`, the tokenURI for a serial. */
  tokenUri(serial: number): string;
};

const encoder = new TextEncoder();

/** How often progress is reported: often enough to watch, rare enough to cost nothing against the writes. */
export const PROGRESS_EVERY_DOCUMENTS = 1_000;

/**
 * Build and store an edition's metadata: one canonical JSON document per serial in one UnixFS
 * directory (HAMT-sharded like Kubo once it is large), so `ipfs://<dir>/<serial>.json` resolves with
 * any IPFS client. With translations, the localized documents go into their own directory first,
 * because each main document must name it (ERC-1155 `localization`) and a directory cannot contain
 * its own CID.
 */
export async function buildEditionMetadata(deps: { store: ContentStore }, parameters: BuildEditionMetadataParameters): Promise<BuildEditionMetadataReturnType> {
  const input = parseEditionMetadataInput(parameters.edition);
  const serials = Array.from({ length: input.maxSupply }, (_, index) => index + 1);
  let documentsWritten = 0;
  const { onProgress } = parameters;
  const counted = async function* (entries: Iterable<DirectoryEntryInput>): AsyncGenerator<DirectoryEntryInput> {
    for (const entry of entries) {
      yield entry;
      documentsWritten += 1;
      if (onProgress && documentsWritten % PROGRESS_EVERY_DOCUMENTS === 0) await onProgress(documentsWritten);
    }
  };

  let localizedCid: CID | undefined;
  if (input.locales !== undefined) {
    const { translations } = input.locales;
    const localizedEntries = function* (): Generator<DirectoryEntryInput> {
      for (const [locale, translation] of Object.entries(translations)) {
        for (const serial of serials) {
          const document = buildTokenMetadata(input, serial, translation);
          yield { path: `${locale}/${serial}.json`, content: encoder.encode(canonicalJson(document)) };
        }
      }
    };
    localizedCid = (await deps.store.addDirectory({ entries: counted(localizedEntries()), pin: parameters.pin })).cid;
  }

  const template: MetadataTemplate = { input, localizedCid: localizedCid?.toString() ?? null };
  const entries = function* (): Generator<DirectoryEntryInput> {
    for (const serial of serials) {
      yield { path: `${serial}.json`, content: encoder.encode(canonicalJson(renderTokenMetadata(template, serial))) };
    }
  };
  const directory = await deps.store.addDirectory({ entries: counted(entries()), pin: parameters.pin });
  const metadataCid = directory.cid;
  await onProgress?.(documentsWritten);
  return {
    metadataCid,
    localizedCid,
    documentCount: serials.length,
    template,
    tokenUri: (serial) => `ipfs://${metadataCid.toString()}/${serial}.json`,
  };
}
