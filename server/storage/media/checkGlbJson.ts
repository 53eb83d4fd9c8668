import { Piscina } from "piscina";

import { VermilionError } from "../../errors/VermilionError.js";

export type CheckGlbJsonParameters = {
  /** The stored upload. */
  path: string;
  offsetBytes: number;
  lengthBytes: number;
  maxDepth?: number;
  timeoutMs?: number;
};

/** The worker's heap: a 16 MiB JSON chunk parses in well under this; a hostile one is cut off by it. */
const WORKER_HEAP_MB = 256;

let pool: Piscina | undefined;

/**
 * One worker thread at most (the machine's cores serve requests first), started on demand and gone
 * when idle; each task runs under a heap limit and a time budget, so no GLB can stall the event loop
 * or grow the server's memory.
 */
function workerPool(): Piscina {
  pool ??= new Piscina({
    filename: new URL("./glbJsonWorker.mjs", import.meta.url).href,
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: 5_000,
    maxQueue: 16,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  });
  return pool;
}

/** Stops the worker pool (server shutdown); the next check starts a new one. */
export async function closeGlbJsonWorkers(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}

/** Parses a GLB's JSON chunk off the event loop: valid UTF-8 JSON, bounded nesting, a glTF 2.x asset. */
export async function checkGlbJson(parameters: CheckGlbJsonParameters): Promise<void> {
  const timeoutMs = parameters.timeoutMs ?? 10_000;
  let result: { ok: true } | { ok: false; reason: string; declared?: string; value?: number; limit?: number };
  try {
    result = await workerPool().run(
      { path: parameters.path, offsetBytes: parameters.offsetBytes, lengthBytes: parameters.lengthBytes, maxDepth: parameters.maxDepth ?? 64 },
      { signal: AbortSignal.timeout(timeoutMs) },
    );
  } catch (cause) {
    const name = (cause as { name?: string }).name;
    const code = (cause as { code?: string }).code;
    if (name === "AbortError" || name === "TimeoutError") {
      throw new VermilionError("MEDIA_DECODE_BUDGET_EXCEEDED", { mediaType: "glb", budget: `${timeoutMs} ms` }, { cause });
    }
    if (code === "ERR_WORKER_OUT_OF_MEMORY") {
      throw new VermilionError("MEDIA_DECODE_BUDGET_EXCEEDED", { mediaType: "glb", budget: `${WORKER_HEAP_MB} MiB` }, { cause });
    }
    if ((cause as Error).message?.includes("Task queue is at limit")) throw new VermilionError("UPLOADS_BUSY", { retryAfterSeconds: 5 }, { cause });
    throw cause;
  }
  if (result.ok) return;
  if (result.declared !== undefined) {
    throw new VermilionError("MEDIA_DECLARED_SIZE_TOO_LARGE", { mediaType: "glb", declared: result.declared, value: result.value!, limit: result.limit! });
  }
  throw new VermilionError("MEDIA_MALFORMED", { mediaType: "glb", reason: result.reason });
}
