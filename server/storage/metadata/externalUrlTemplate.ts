import { z } from "zod";

/** The placeholders an `externalUrlTemplate` may hold, each filled per serial. */
export const EXTERNAL_URL_PLACEHOLDERS = ["{editionId}", "{serial}"] as const;

/** Schemes a link in immutable metadata may use: a wallet or gallery opens it, so nothing that runs code. */
const ALLOWED_PROTOCOLS = new Set(["https:", "http:"]);

/** Spaces and control characters: browsers strip or ignore them, which is how `java\tscript:` slips past naive checks. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029]/;

/** The template with its placeholders filled, as `buildTokenMetadata` fills them. */
export function fillExternalUrlTemplate(template: string, editionId: string, serial: number): string {
  return template.replaceAll("{editionId}", encodeURIComponent(editionId)).replaceAll("{serial}", String(serial));
}

/**
 * Why `template` may not go into metadata, or undefined when it may: after its placeholders are filled
 * it must be an absolute http(s) URL (no `javascript:`, `data:`, `vbscript:`, relative or other schemes),
 * with no spaces or control characters anywhere.
 */
export function externalUrlTemplateProblem(template: string): string | undefined {
  if (INVISIBLE.test(template)) return "must not contain spaces or control characters";
  const filled = fillExternalUrlTemplate(template, "1", 1);
  if (!URL.canParse(filled)) return "must be an absolute https: or http: URL";
  const url = new URL(filled);
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return "must use https or http";
  if (url.hostname === "") return "must name a host";
  return undefined;
}

/** The field's schema at every edge that takes a template (the edition form, the metadata input). */
export const externalUrlTemplateSchema = z.string().superRefine((template, context) => {
  const problem = externalUrlTemplateProblem(template);
  if (problem) context.addIssue({ code: "custom", message: problem });
});
