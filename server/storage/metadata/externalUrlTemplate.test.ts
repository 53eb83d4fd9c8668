import { describe, expect, test } from "vitest";

import { isVermilionError } from "../../errors/VermilionError.js";
import { externalUrlTemplateProblem } from "./externalUrlTemplate.js";
import { parseEditionMetadataInput } from "./tokenMetadata.js";

const REFUSED_EXTERNAL_URL_TEMPLATES = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(document.cookie)//{serial}",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "file:///etc/passwd",
  "ftp://museum.example/{serial}",
  "/editions/{editionId}/{serial}",
  "museum.example/{serial}",
  "{serial}:alert(1)",
  "https://",
];

describe("externalUrlTemplateProblem", () => {
  test("accepts absolute http(s) templates with their placeholders", () => {
    expect(externalUrlTemplateProblem("https://museum.example/editions/{editionId}/{serial}")).toBeUndefined();
    expect(externalUrlTemplateProblem("http://localhost:8080/t?serial={serial}")).toBeUndefined();
  });

  test.each(REFUSED_EXTERNAL_URL_TEMPLATES)("refuses %j", (template) => {
    expect(externalUrlTemplateProblem(template)).toMatch(/^must /);
  });

  test("the metadata input parser refuses them too, so no path writes one", () => {
    const input = {
      collection: "c",
      editionId: 1,
      title: "t",
      description: "",
      maxSupply: 1,
      issuer: `0x${"a".repeat(40)}`,
      license: "l",
      created: "2026-11-29T10:00:00Z",
      media: { cid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", sha256: "0".repeat(64), kind: "image" },
      externalUrlTemplate: "javascript:alert(1)",
    };
    let caught: unknown;
    try {
      parseEditionMetadataInput(input);
    } catch (error) {
      caught = error;
    }
    expect(isVermilionError(caught, "METADATA_INVALID")).toBe(true);
    expect(parseEditionMetadataInput({ ...input, externalUrlTemplate: "https://museum.example/{serial}" }).externalUrlTemplate).toBe(
      "https://museum.example/{serial}",
    );
  });
});
