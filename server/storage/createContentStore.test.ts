import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

import { isVermilionError } from "../errors/VermilionError.js";
import { createContentStore } from "./createContentStore.js";

describe("createContentStore", () => {
  test("opens the embedded store for kind embedded and the Kubo store for kind kubo", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "vermilion-config-"));
    try {
      const embedded = await createContentStore({ kind: "embedded", dataDir });
      const kubo = await createContentStore({ kind: "kubo", apiUrl: "http://127.0.0.1:5001" });

      expect([embedded.kind, kubo.kind]).toEqual(["embedded", "kubo"]);
      await embedded.close();
      await kubo.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("refuses a malformed configuration with CONFIG_INVALID naming the field", async () => {
    const error = await createContentStore({ kind: "kubo", apiUrl: "not a url" }).catch((thrown: unknown) => thrown);

    expect(isVermilionError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as { details: { field: string } }).details.field).toBe("apiUrl");
  });
});
