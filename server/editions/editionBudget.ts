import type { EditionBudget } from "../config/editionBudgetSettings.js";
import type { EditionMetadataInput } from "../storage/metadata/tokenMetadata.js";

import { VermilionError } from "../errors/VermilionError.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { buildTokenMetadata, parseEditionMetadataInput } from "../storage/metadata/tokenMetadata.js";

/** Title and description lengths (characters), for the edition and each translation: fixed, as the form has always had them. */
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;

/** The parts of an edition that decide how much its metadata weighs. */
export interface EditionBudgetInput {
  collection: string;
  name: string;
  description: string;
  maxSupply: number;
  license: string;
  attributes: Array<{ trait_type: string; value: string | number }>;
  translations?: Record<string, { title?: string; description?: string }>;
  externalUrlTemplate?: string;
}

export interface EditionBudgetUse {
  /** Metadata documents the edition will write. */
  documentCount: number;
  /** An upper bound of their bytes: each serial's document measured as long as the longest (serial maxSupply's). */
  metadataBytes: number;
}

// Stand-ins as long as the longest real values, so a measured document is never shorter than a real one.
const LONGEST_EDITION_ID = "18446744073709551615";
const LONGEST_CID = `bafybei${"a".repeat(52)}`;
const LONGEST_CREATED = "2026-01-01T00:00:00.000Z";
const LONGEST_ISSUER = `0x${"f".repeat(40)}`;
const encoder = new TextEncoder();

function refuse(limit: string, max: number, requested: number): never {
  throw new VermilionError("EDITION_BUDGET_EXCEEDED", { limit, max, requested });
}

/**
 * Checks an edition against the budget before anything is stored or sent, and says what it will write.
 * Cheap (it renders 1 + locales documents, the longest serial's, and multiplies), so every caller runs
 * it first. Refused with EDITION_BUDGET_EXCEEDED naming the limit, its maximum and what was asked.
 */
export function checkEditionBudget(budget: EditionBudget, edition: EditionBudgetInput): EditionBudgetUse {
  const translations = Object.entries(edition.translations ?? {});
  // Numbered cases, cheapest first:
  // 1. counts and lengths that need no rendering;
  if (translations.length > budget.maxLocales) refuse("locales", budget.maxLocales, translations.length);
  if (edition.attributes.length > budget.maxAttributes) refuse("attributes", budget.maxAttributes, edition.attributes.length);
  for (const attribute of edition.attributes) {
    const bytes = encoder.encode(attribute.trait_type).length + encoder.encode(String(attribute.value)).length;
    if (bytes > budget.maxAttributeBytes) refuse("attributeBytes", budget.maxAttributeBytes, bytes);
  }
  const titles = [edition.name, ...translations.map(([, translation]) => translation.title ?? "")];
  const descriptions = [edition.description, ...translations.map(([, translation]) => translation.description ?? "")];
  const longestTitle = Math.max(...titles.map((title) => title.length));
  const longestDescription = Math.max(...descriptions.map((description) => description.length));
  if (longestTitle > MAX_TITLE_LENGTH) refuse("titleLength", MAX_TITLE_LENGTH, longestTitle);
  if (longestDescription > MAX_DESCRIPTION_LENGTH) refuse("descriptionLength", MAX_DESCRIPTION_LENGTH, longestDescription);
  // 2. the document count;
  const documentCount = edition.maxSupply * (1 + translations.length);
  if (documentCount > budget.maxDocuments) refuse("documents", budget.maxDocuments, documentCount);
  // 3. the bytes: serial maxSupply's documents (main and each locale) rendered exactly as they will be, times the serials.
  const input = parseEditionMetadataInput({
    collection: edition.collection,
    editionId: LONGEST_EDITION_ID,
    title: edition.name,
    description: edition.description,
    maxSupply: edition.maxSupply,
    issuer: LONGEST_ISSUER,
    license: edition.license,
    created: LONGEST_CREATED,
    // Video with a poster is the longer shape (both `image` and `animation_url`).
    media: { cid: LONGEST_CID, sha256: "0".repeat(64), kind: "video" },
    posterCid: LONGEST_CID,
    ...(edition.externalUrlTemplate ? { externalUrlTemplate: edition.externalUrlTemplate } : {}),
    attributes: edition.attributes,
  } satisfies EditionMetadataInput);
  const serial = edition.maxSupply;
  const measure = (overrides: Parameters<typeof buildTokenMetadata>[2]) =>
    encoder.encode(canonicalJson(buildTokenMetadata(input, serial, overrides))).length;
  const localization =
    translations.length === 0
      ? undefined
      : {
          uri: `ipfs://${LONGEST_CID}/{locale}/${serial}.json`,
          default: "en",
          locales: ["en", ...translations.map(([locale]) => locale)],
        };
  let bytesPerSerial = measure({ localization });
  for (const [, translation] of translations) bytesPerSerial += measure(translation);
  const metadataBytes = bytesPerSerial * edition.maxSupply;
  if (metadataBytes > budget.maxMetadataBytes) refuse("metadataBytes", budget.maxMetadataBytes, metadataBytes);
  return { documentCount, metadataBytes };
}
