import { PROVENANCE_KEY } from "vermilion-verify/shared/provenanceKey.js";
import { z } from "zod";

import { VermilionError } from "../../errors/VermilionError.js";
import { externalUrlTemplateSchema, fillExternalUrlTemplate } from "./externalUrlTemplate.js";

const cidString = z.string().regex(/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{58,})$/, "a CIDv0 or base32 CIDv1");
const attribute = z.object({
  trait_type: z.string().min(1),
  value: z.union([z.string(), z.number()]),
  display_type: z.enum(["number", "boost_number", "boost_percentage", "date"]).optional(),
  max_value: z.number().optional(),
});

/** What the issuer supplies for an edition; validated at the edge of every metadata action. */
export const editionMetadataInputSchema = z
  .object({
    collection: z.string().min(1),
    editionId: z.union([z.string().min(1), z.number().int().nonnegative()]),
    title: z.string().min(1),
    description: z.string(),
    maxSupply: z.number().int().positive().max(1_000_000),
    issuer: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an EVM address"),
    license: z.string().min(1),
    /** ISO 8601 creation time of the edition (not of each document, so rebuilding gives the same CIDs). */
    created: z.iso.datetime(),
    media: z.object({
      cid: cidString,
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      kind: z.enum(["image", "video", "audio", "model"]),
    }),
    /** Still image shown by galleries; required when the media itself is not an image. */
    posterCid: cidString.optional(),
    /** e.g. `https://vermilion.example/editions/{editionId}/{serial}`; placeholders are filled per serial. */
    externalUrlTemplate: externalUrlTemplateSchema.optional(),
    attributes: z.array(attribute).default([]),
    /** Translations for ERC-1155-style localization: locale → overridden name/description. */
    locales: z
      .object({
        default: z.string().min(2),
        translations: z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), z.object({ title: z.string().min(1).optional(), description: z.string().optional() })),
      })
      .optional(),
  })
  .refine((input) => input.media.kind === "image" || input.posterCid !== undefined, {
    message: "video, audio and 3D media need a posterCid for `image`",
    path: ["posterCid"],
  });

export type EditionMetadataInput = z.input<typeof editionMetadataInputSchema>;
export type ParsedEditionMetadataInput = z.output<typeof editionMetadataInputSchema>;

export type TokenMetadata = Record<string, unknown>;

/** Parse issuer input, turning zod's failure into METADATA_INVALID. */
export function parseEditionMetadataInput(input: unknown): ParsedEditionMetadataInput {
  const parsed = editionMetadataInputSchema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new VermilionError("METADATA_INVALID", { reason }, { cause: parsed.error });
  }
  return parsed.data;
}

/**
 * One serial's ERC-721 metadata document: `name` carries the serial, `image` is a still (the media
 * itself for images, else the poster), `animation_url` the video/audio/3D media, plus one namespaced
 * provenance object. Values are plain strings and numbers so canonical JSON fixes the bytes.
 */
export function buildTokenMetadata(
  input: ParsedEditionMetadataInput,
  serial: number,
  overrides: { title?: string; description?: string; localization?: Record<string, unknown> } = {},
): TokenMetadata {
  if (!Number.isInteger(serial) || serial < 1 || serial > input.maxSupply) {
    throw new VermilionError("METADATA_INVALID", { reason: `serial ${serial} outside 1..${input.maxSupply}` });
  }
  const mediaUri = `ipfs://${input.media.cid}`;
  const fill = (template: string) => fillExternalUrlTemplate(template, String(input.editionId), serial);
  return {
    name: `${overrides.title ?? input.title} #${serial}`,
    description: overrides.description ?? input.description,
    image: input.media.kind === "image" ? mediaUri : `ipfs://${input.posterCid}`,
    animation_url: input.media.kind === "image" ? undefined : mediaUri,
    external_url: input.externalUrlTemplate === undefined ? undefined : fill(input.externalUrlTemplate),
    attributes: [
      ...input.attributes,
      { trait_type: "Serial", value: serial, display_type: "number", max_value: input.maxSupply },
      { trait_type: "Edition size", value: input.maxSupply, display_type: "number" },
    ],
    localization: overrides.localization,
    [PROVENANCE_KEY]: {
      collection: input.collection,
      editionId: String(input.editionId),
      serial,
      maxSupply: input.maxSupply,
      issuer: input.issuer.toLowerCase(),
      mediaCid: input.media.cid,
      mediaSha256: input.media.sha256,
      license: input.license,
      created: input.created,
    },
  };
}
