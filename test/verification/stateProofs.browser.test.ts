import type { Browser } from "playwright-core";
import type { Address, Hex } from "viem";
import type * as StateApi from "../../packages/verifier/src/proofs/state/index.js";
import type { StateProofs } from "../../packages/verifier/src/proofs/state/stateProofs.js";
import type { StartAnvilReturnType } from "../support/startAnvil.js";

import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { encodeFunctionData, numberToHex } from "viem";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collectStateProofs, headerContextFromRpcBlock } from "../../packages/verifier/src/proofs/state/collectStateProofs.js";
import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { launchChromium } from "../support/browserSupport.js";
import { deployVermilion } from "../support/deployVermilion.js";
import { startAnvil } from "../support/startAnvil.js";

const stateIndex = path.resolve(import.meta.dirname, "../../packages/verifier/src/proofs/state/index.ts");

let anvil: StartAnvilReturnType;
let browser: Browser;
let bundleDir: string;
let bundle: string;

beforeAll(async () => {
  // The state-proof library bundled for the browser alone (no Node built-ins may resolve), exposed on window.
  bundleDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-state-browser-"));
  const entry = path.join(bundleDir, "entry.ts");
  await writeFile(entry, `import * as state from ${JSON.stringify(stateIndex)};\n(globalThis as Record<string, unknown>).vermilionState = state;\n`);
  await build({
    configFile: false,
    logLevel: "silent",
    build: { outDir: path.join(bundleDir, "dist"), minify: false, lib: { entry, formats: ["es"], fileName: "state" }, rollupOptions: { platform: "browser" } as never },
  });
  const [file] = (await readdir(path.join(bundleDir, "dist"))).filter((name) => name.endsWith(".js"));
  bundle = await readFile(path.join(bundleDir, "dist", file!), "utf8");
  [anvil, browser] = await Promise.all([startAnvil(), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await anvil?.stop();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

describe("state proofs in a browser", () => {
  it("verifies the proofs and answers ownerOf, locked and a reverting call offline in Chromium as the node does", async () => {
    const chain = await deployVermilion(anvil.rpcUrl);
    const [, , alice] = chain.accounts as [Address, Address, Address];
    const collection = await chain.createCollection("Browser state proofs");
    const edition = await chain.createEdition(collection, { transferPolicy: 1, holdSeconds: 86_400 });
    await chain.mint(collection, edition, alice, 3);
    const token = (serial: bigint) => edition * 1_000_000n + serial;
    const calls: Array<{ to: Address; data: Hex }> = [
      { to: collection, data: encodeFunctionData({ abi: vermilionCollectionAbi, functionName: "ownerOf", args: [token(2n)] }) },
      { to: collection, data: encodeFunctionData({ abi: vermilionCollectionAbi, functionName: "locked", args: [token(2n)] }) },
      { to: collection, data: encodeFunctionData({ abi: vermilionCollectionAbi, functionName: "ownerOf", args: [token(9n)] }) },
    ];
    const pinned = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    const proofs: StateProofs = await collectStateProofs(chain.publicClient, { calls, codes: [collection] }, { number: pinned });
    const rpcBlock = await chain.publicClient.request({ method: "eth_getBlockByNumber", params: [numberToHex(pinned), false] });
    const header = headerContextFromRpcBlock(rpcBlock as never, await chain.publicClient.getChainId());
    const live = await Promise.all(calls.map((call) => chain.publicClient.call({ to: call.to, data: call.data, blockNumber: pinned }).then(
      (result) => ({ ok: true, data: (result.data ?? "0x").toLowerCase() }),
      () => ({ ok: false }),
    )));

    const page = await browser.newPage();
    try {
      // A page with no network: every answer comes from the proofs.
      await page.route("**/*", (route) => route.abort());
      await page.setContent("<!doctype html><title>state proofs</title>");
      await page.addScriptTag({ content: bundle, type: "module" });
      await page.waitForFunction("globalThis.vermilionState !== undefined");
      const answers = (await page.evaluate(
        async ({ proofs, header, calls, collection }) => {
          const api = (globalThis as unknown as { vermilionState: typeof StateApi }).vermilionState;
          const context = {
            ...header,
            number: BigInt(header.number),
            timestamp: BigInt(header.timestamp),
            gasLimit: BigInt(header.gasLimit),
            baseFeePerGas: header.baseFeePerGas === undefined ? undefined : BigInt(header.baseFeePerGas),
            excessBlobGas: header.excessBlobGas === undefined ? undefined : BigInt(header.excessBlobGas),
          };
          const verified = await api.verifyStateProofs(proofs, context);
          if (!verified.ok) return { failure: verified.code };
          const results = [];
          for (const call of calls) results.push(await verified.state.call(call.to, call.data));
          const altered = JSON.parse(JSON.stringify(proofs)) as typeof proofs;
          altered.nodes[0] = `${altered.nodes[0]!.slice(0, -2)}${altered.nodes[0]!.endsWith("00") ? "01" : "00"}` as Hex;
          const refused = await api.verifyStateProofs(altered, context);
          return { results, code: (await verified.state.getCode(collection)) as string, refused: refused.ok ? "accepted" : refused.code };
        },
        {
          proofs,
          calls,
          collection,
          header: {
            stateRoot: header.stateRoot,
            number: header.number.toString(),
            timestamp: header.timestamp.toString(),
            gasLimit: header.gasLimit.toString(),
            baseFeePerGas: header.baseFeePerGas?.toString(),
            excessBlobGas: header.excessBlobGas?.toString(),
            coinbase: header.coinbase,
            prevRandao: header.prevRandao,
            chainId: header.chainId,
          },
        },
      )) as { failure?: string; results: Array<{ ok: boolean; data: Hex }>; code: string; refused: string };

      expect(answers.failure).toBeUndefined();
      expect(answers.results[0]).toEqual(live[0]);
      expect(answers.results[0]!.data.endsWith(alice.slice(2).toLowerCase())).toBe(true);
      expect(answers.results[1]).toEqual({ ok: true, data: `0x${"1".padStart(64, "0")}` });
      expect(answers.results[1]).toEqual(live[1]);
      expect(live[2]!.ok).toBe(false);
      expect(answers.results[2]!.ok).toBe(false);
      expect(answers.code).toBe((await chain.publicClient.getCode({ address: collection, blockNumber: pinned }))!.toLowerCase());
      expect(answers.refused).toBe("BUNDLE_STATE_PROOF_INVALID");
    } finally {
      await page.close();
    }
  });
});
