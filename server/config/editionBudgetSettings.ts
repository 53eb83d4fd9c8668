/** What one edition may make the platform write (EDITION_* settings, README). */
export interface EditionBudget {
  /** All metadata documents of the edition together, in bytes (serials × (1 + locales) documents). */
  maxMetadataBytes: number;
  /** Metadata documents: serials × (1 + locales). */
  maxDocuments: number;
  /** Translations (locales besides the default). */
  maxLocales: number;
  /** Issuer attributes per document. */
  maxAttributes: number;
  /** UTF-8 bytes of one attribute's trait_type and value together. */
  maxAttributeBytes: number;
}

export const DEFAULT_EDITION_BUDGET: EditionBudget = {
  maxMetadataBytes: 1024 * 1024 * 1024,
  maxDocuments: 2_000_000,
  maxLocales: 16,
  maxAttributes: 64,
  maxAttributeBytes: 1024,
};

/** Past this many metadata documents an edition is built by a queued job, not in the request. */
export const DEFAULT_EDITION_JOB_THRESHOLD_DOCUMENTS = 10_000;
