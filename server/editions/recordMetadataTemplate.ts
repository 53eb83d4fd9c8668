import type { Queryable } from "../db/Database.js";
import type { MetadataTemplate } from "../storage/metadata/metadataTemplate.js";

import { serializeMetadataTemplate } from "../storage/metadata/metadataTemplate.js";

export interface RecordMetadataTemplateParameters {
  /** The metadata directory's CID (a CID object or its string). */
  metadataCid: { toString(): string };
  template: MetadataTemplate;
}

/**
 * Keeps the template of a metadata directory the platform has just built, so token reads render a
 * serial's document from the index instead of the IPFS store. Call it as soon as `buildEditionMetadata`
 * returns, before the CID goes on chain. Idempotent: a CID names its documents, so a second record of it
 * holds the same template.
 */
export async function recordMetadataTemplate(deps: { db: Queryable }, parameters: RecordMetadataTemplateParameters): Promise<void> {
  await deps.db.query("INSERT INTO metadata_templates (metadata_cid, template) VALUES ($1, $2) ON CONFLICT (metadata_cid) DO NOTHING", [
    parameters.metadataCid.toString(),
    serializeMetadataTemplate(parameters.template),
  ]);
}
