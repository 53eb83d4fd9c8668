import type { CID } from "multiformats/cid";

import { describe, expect, test } from "vitest";
import { addFile } from "vermilion-verify/shared/addFile.js";
import { singleFlightPuts } from "./singleFlightPuts.js";

describe("singleFlightPuts", () => {
  test("writes each distinct block of a file with repeated chunks exactly once", async () => {
    const writes: string[] = [];
    const stored = new Set<string>();
    const fake = {
      async has(cid: CID) {
        return stored.has(cid.toString());
      },
      async put(cid: CID) {
        writes.push(cid.toString());
        await new Promise((resolve) => setTimeout(resolve, 5));
        stored.add(cid.toString());
        return cid;
      },
    };
    // Four identical zero chunks plus a short tail: two distinct leaves and one root.
    const bytes = new Uint8Array(262_144 * 4 + 10);

    await addFile({ blockstore: singleFlightPuts(fake) }, { content: bytes });

    expect(writes.length).toBe(3);
    expect(new Set(writes).size).toBe(3);
  });
});
