import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, describe, expect, test } from "vitest";

import { startAnvil } from "./startAnvil.js";

describe("startAnvil", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test("runs a chain on 127.0.0.1 whose blocks survive a restart from its state file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "vermilion-anvil-"));
    dirs.push(dir);
    const stateFile = path.join(dir, "anvil-state.json");

    const first = await startAnvil({ stateFile });
    expect(first.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.chainId).toBe(31337);
    const client = createPublicClient({ transport: http(first.rpcUrl) });
    await client.request({ method: "anvil_mine" as never, params: ["0x5"] as never });
    const minedHead = await client.getBlockNumber();
    const minedHash = (await client.getBlock({ blockNumber: minedHead })).hash;
    await first.stop();

    const second = await startAnvil({ stateFile });
    const reopened = createPublicClient({ transport: http(second.rpcUrl) });
    expect(await reopened.getBlockNumber()).toBe(minedHead);
    expect((await reopened.getBlock({ blockNumber: minedHead })).hash).toBe(minedHash);
    await second.stop();
  });

  test("a state file anvil cannot load → CHAIN_START_FAILED carrying anvil's own reason", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "vermilion-anvil-bad-"));
    dirs.push(dir);
    const stateFile = path.join(dir, "anvil-state.json");
    await writeFile(stateFile, "{ this is not anvil state");

    const starting = startAnvil({ stateFile, startTimeoutMs: 10_000 });
    await expect(starting).rejects.toMatchObject({ code: "CHAIN_START_FAILED", details: { reason: expect.stringMatching(/\S/) } });
  });
});
