import type { ContentStore } from "./contentStore.js";

import { z } from "zod";
import { VermilionError } from "../errors/VermilionError.js";
import { createEmbeddedStore } from "./embedded/createEmbeddedStore.js";
import { createKuboStore } from "./kubo/createKuboStore.js";

/**
 * Which content store to run. `server/startup/openContentStore.ts` builds this from the configuration (`DATA_DIR`,
 * `IPFS_API_URL`); nothing in the storage layer reads the environment itself.
 */
export const contentStoreConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("embedded"), dataDir: z.string().min(1), syncWrites: z.boolean().optional() }),
  z.object({ kind: z.literal("kubo"), apiUrl: z.url(), timeoutMs: z.number().int().positive().optional() }),
]);

export type CreateContentStoreParameters = z.input<typeof contentStoreConfigSchema>;

export type CreateContentStoreReturnType = ContentStore;

/** Open the configured content store: embedded by default, a remote Kubo when an API URL is given. */
export async function createContentStore(parameters: CreateContentStoreParameters): Promise<CreateContentStoreReturnType> {
  const parsed = contentStoreConfigSchema.safeParse(parameters);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VermilionError("CONFIG_INVALID", { field: issue?.path.join(".") || "contentStore", reason: issue?.message ?? "invalid" }, { cause: parsed.error });
  }
  const config = parsed.data;
  switch (config.kind) {
    case "embedded":
      return createEmbeddedStore({ dataDir: config.dataDir, syncWrites: config.syncWrites });
    case "kubo":
      return createKuboStore({ apiUrl: config.apiUrl, timeoutMs: config.timeoutMs });
  }
}
