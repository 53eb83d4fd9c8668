import { describe, expect, test } from "vitest";

import { createComputeOnce } from "./createComputeOnce.js";

describe("createComputeOnce", () => {
  test("concurrent askers share one computation, later askers get the kept value", async () => {
    const once = createComputeOnce<string>({ maxSize: 1_000, sizeOf: (value) => value.length });
    let computations = 0;
    let finish!: (value: string) => void;
    const compute = () => {
      computations++;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const askers = Array.from({ length: 20 }, () => once.get("bundle:1@5", compute));
    finish("car bytes");
    expect(await Promise.all(askers)).toEqual(Array(20).fill("car bytes"));
    expect(await once.get("bundle:1@5", compute)).toBe("car bytes");
    expect(computations).toBe(1);
  });

  test("a failure is not kept, nor a value larger than the cache; forget drops a kept value", async () => {
    const once = createComputeOnce<string>({ maxSize: 10, sizeOf: (value) => value.length });
    await expect(once.get("k", () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    expect(await once.get("k", async () => "ok")).toBe("ok");
    expect(await once.get("k", async () => "not asked")).toBe("ok");
    once.forget("k");
    expect(await once.get("k", async () => "again")).toBe("again");

    let computations = 0;
    const large = async () => (computations++, "x".repeat(11));
    await once.get("large", large);
    await once.get("large", large);
    expect(computations).toBe(2);
  });
});
