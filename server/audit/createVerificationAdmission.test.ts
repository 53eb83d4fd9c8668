import { describe, expect, test } from "vitest";

import { createVerificationAdmission } from "./createVerificationAdmission.js";

/** Work that runs until the test finishes it. */
function heldWork(started: string[], name: string): { work: () => Promise<string>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

describe("createVerificationAdmission", () => {
  test("runs up to maxRunning, queues the rest in arrival order, and refuses past a client's share or the queue", async () => {
    const loads: Array<{ running: number; queued: number }> = [];
    const admission = createVerificationAdmission({ maxRunning: 1, maxQueued: 2, maxPerClient: 1, onLoad: (load) => loads.push(load) });
    const started: string[] = [];
    const a = heldWork(started, "a");
    const b = heldWork(started, "b");
    const c = heldWork(started, "c");
    const runningA = admission.reserve("client-a").run(a.work);
    const queuedB = admission.reserve("client-b").run(b.work);
    const queuedC = admission.reserve("client-c").run(c.work);

    expect(() => admission.reserve("client-a")).toThrow(expect.objectContaining({ code: "VERIFICATION_BUSY", details: expect.objectContaining({ limit: 1 }) }));
    expect(() => admission.reserve("client-d")).toThrow(expect.objectContaining({ code: "VERIFICATION_QUEUE_FULL", details: expect.objectContaining({ queued: 2 }) }));
    expect(admission.load()).toEqual({ running: 1, queued: 2 });
    await Promise.resolve();
    expect(started).toEqual(["a"]);

    a.finish();
    expect(await runningA).toBe("a");
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["a", "b"]);
    b.finish();
    c.finish();
    expect(await Promise.all([queuedB, queuedC])).toEqual(["b", "c"]);
    expect(admission.load()).toEqual({ running: 0, queued: 0 });
    expect(loads.at(-1)).toEqual({ running: 0, queued: 0 });
    // Client A's place was given back with its work.
    expect(await admission.reserve("client-a").run(async () => "again")).toBe("again");
  });

  test("a refusal says when to retry, and a cancelled place is given back", async () => {
    const admission = createVerificationAdmission({ maxRunning: 1, maxQueued: 0, maxPerClient: 1 });
    const ticket = admission.reserve("client-a");
    let refusal: unknown;
    try {
      admission.reserve("client-b");
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: "VERIFICATION_QUEUE_FULL", status: 503, details: { retryAfterSeconds: expect.any(Number) } });
    expect((refusal as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    ticket.cancel();
    await new Promise((resolve) => setImmediate(resolve));
    expect(admission.load()).toEqual({ running: 0, queued: 0 });
    expect(await admission.reserve("client-b").run(async () => "b")).toBe("b");
  });
});
