import type { ParsedEditionMetadataInput, TokenMetadata } from "./tokenMetadata.js";

import { buildTokenMetadata } from "./tokenMetadata.js";

/**
 * What renders every main document (`<serial>.json`) of an edition's metadata directory: the parsed
 * input and the CID of its localized directory. The platform keeps it beside the directory's CID, so a
 * serial's document is rendered from a row instead of walking the directory in the store.
 */
export interface MetadataTemplate {
  input: ParsedEditionMetadataInput;
  localizedCid: string | null;
}

/** The ERC-1155 `localization` object of a serial's main document, when the edition has translations. */
export function localizationOf(template: MetadataTemplate, serial: number): Record<string, unknown> | undefined {
  const { input, localizedCid } = template;
  if (localizedCid === null || input.locales === undefined) return undefined;
  const locales = [input.locales.default, ...Object.keys(input.locales.translations)].filter((locale, i, all) => all.indexOf(locale) === i).sort();
  return { uri: `ipfs://${localizedCid}/{locale}/${serial}.json`, default: input.locales.default, locales };
}

/** A serial's main document, exactly the one `buildEditionMetadata` stored (same canonical JSON bytes). */
export function renderTokenMetadata(template: MetadataTemplate, serial: number): TokenMetadata {
  return buildTokenMetadata(template.input, serial, { localization: localizationOf(template, serial) });
}

/**
 * A template as stored: plain JSON text rather than jsonb, so every string survives as the issuer gave
 * it (jsonb refuses U+0000, which a JSON string may hold).
 */
export function serializeMetadataTemplate(template: MetadataTemplate): string {
  return JSON.stringify(template);
}

export function parseMetadataTemplate(text: string): MetadataTemplate {
  return JSON.parse(text) as MetadataTemplate;
}
