import type { EditionBudgetInput } from "./editionBudget.js";

import { describe, expect, test } from "vitest";

import { DEFAULT_EDITION_BUDGET } from "../config/editionBudgetSettings.js";
import { isVermilionError } from "../errors/VermilionError.js";
import { canonicalJson } from "vermilion-verify/shared/canonicalJson.js";
import { buildTokenMetadata, parseEditionMetadataInput } from "../storage/metadata/tokenMetadata.js";
import { checkEditionBudget } from "./editionBudget.js";

function edition(overrides: Partial<EditionBudgetInput> = {}): EditionBudgetInput {
  return {
    collection: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
    name: "Flying Apsaras",
    description: "Cave 320",
    maxSupply: 1_000,
    license: "CC BY-NC 4.0",
    attributes: [{ trait_type: "Cave", value: 320 }],
    ...overrides,
  };
}

function refusal(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    if (isVermilionError(error, "EDITION_BUDGET_EXCEEDED")) return error.details;
    throw error;
  }
  throw new Error("expected EDITION_BUDGET_EXCEEDED");
}

describe("checkEditionBudget", () => {
  test("counts serials × (1 + locales) documents and bounds their bytes from above", () => {
    const input = edition({ translations: { "zh-CN": { title: "飞天" }, fr: { title: "Apsaras volantes" } } });
    const use = checkEditionBudget(DEFAULT_EDITION_BUDGET, input);
    expect(use.documentCount).toBe(3_000);
    // A real serial-1000 document (short ids and CIDs, an image) is no longer than the budget's measure of one.
    const real = parseEditionMetadataInput({
      collection: input.collection,
      editionId: "7",
      title: input.name,
      description: input.description,
      maxSupply: input.maxSupply,
      issuer: `0x${"a".repeat(40)}`,
      license: input.license,
      created: new Date().toISOString(),
      media: { cid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", sha256: "1".repeat(64), kind: "image" },
      attributes: input.attributes,
    });
    const realBytes = new TextEncoder().encode(canonicalJson(buildTokenMetadata(real, 1_000))).length;
    expect(use.metadataBytes).toBeGreaterThan(realBytes * 3_000);
    expect(use.metadataBytes).toBeLessThan(realBytes * 3_000 * 2);
  });

  test("refuses each budget with its own limit, maximum and request", () => {
    const budget = { maxMetadataBytes: 100_000, maxDocuments: 400, maxLocales: 2, maxAttributes: 3, maxAttributeBytes: 64 };
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 200 })))).toMatchObject({
      limit: "metadataBytes",
      max: 100_000,
      requested: expect.any(Number),
    });
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 401, attributes: [] })))).toEqual({
      limit: "documents",
      max: 400,
      requested: 401,
    });
    const locales = { fr: { title: "a" }, de: { title: "b" }, ja: { title: "c" } };
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 1, translations: locales })))).toEqual({
      limit: "locales",
      max: 2,
      requested: 3,
    });
    const attributes = Array.from({ length: 4 }, (_, index) => ({ trait_type: `t${index}`, value: index }));
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 1, attributes })))).toEqual({
      limit: "attributes",
      max: 3,
      requested: 4,
    });
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 1, attributes: [{ trait_type: "Note", value: "字".repeat(21) }] })))).toEqual({
      limit: "attributeBytes",
      max: 64,
      requested: 4 + 63,
    });
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 1, translations: { fr: { title: "x".repeat(201) } } })))).toEqual({
      limit: "titleLength",
      max: 200,
      requested: 201,
    });
    expect(refusal(() => checkEditionBudget(budget, edition({ maxSupply: 1, translations: { fr: { description: "x".repeat(10_001) } } })))).toEqual({
      limit: "descriptionLength",
      max: 10_000,
      requested: 10_001,
    });
  });

  test("lets the largest edition the form allows through the default budget when its documents are plain", () => {
    expect(checkEditionBudget(DEFAULT_EDITION_BUDGET, edition({ maxSupply: 999_999 })).documentCount).toBe(999_999);
  });
});
