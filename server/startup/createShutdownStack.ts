import type { Logger } from "pino";

/** What undoes each start-up step, run newest first when the server stops or fails to start. */
export interface ShutdownStack {
  /** Registers the cleanup of a step just taken: it runs before every cleanup registered earlier. */
  defer(cleanup: () => Promise<void>): void;
  /** Runs the cleanups registered so far, newest first; a failing one is logged and the rest still run. */
  run(): Promise<void>;
}

/** An empty shutdown stack that logs the cleanups that fail with `logger`. */
export function createShutdownStack(logger: Pick<Logger, "error">): ShutdownStack {
  const cleanups: Array<() => Promise<void>> = [];
  return {
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    async run() {
      // Taken out as they run: what is closed is not closed again.
      for (const cleanup of cleanups.splice(0).reverse()) {
        await cleanup().catch((error: unknown) => logger.error({ err: error }, "shutdown step failed"));
      }
    },
  };
}
