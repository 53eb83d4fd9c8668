import type { TokenReport } from "vermilion-verify/report.js";
import type { VerificationFixture } from "./verificationFixture.js";

import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startVerificationFixture } from "./verificationFixture.js";

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "..", "..");

/**
 * The environment of a shell on an auditor's machine: none of the npm_* variables that `npm run test`
 * passes down (a workspace, a prefix), so npm and npx behave as they would outside this repository.
 */
function outsideEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("npm_") && name !== "INIT_CWD"));
}

let fixture: VerificationFixture;
let emptyFolder: string;

beforeAll(async () => {
  [fixture, emptyFolder] = await Promise.all([startVerificationFixture(), mkdtemp(path.join(os.tmpdir(), "vermilion-auditor-"))]);
});
afterAll(async () => {
  await fixture?.stop();
  if (emptyFolder) await rm(emptyFolder, { recursive: true, force: true });
});

describe("the packed vermilion-verify, installed where this repository is not", () => {
  test("npm pack gives a tarball that npx runs in an empty folder, and it verifies a token of the test chain", async () => {
    const packed = await run("npm", ["pack", "--workspace", "packages/verifier", "--pack-destination", emptyFolder, "--json"], {
      cwd: repoRoot,
      env: outsideEnvironment(),
    });
    const [manifest] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = manifest!.files.map((file) => file.path);
    expect(manifest!.filename).toMatch(/^vermilion-verify-\d+\.\d+\.\d+\.tgz$/);
    expect(files).toEqual(expect.arrayContaining(["package.json", "dist/cli/verify.js", "dist/index.js", "dist/abis/VermilionCollection.js", "dist/abis/VermilionFactory.js"]));
    // Built JavaScript only: no sources, no tests, nothing of the platform.
    expect(files.filter((file) => !file.startsWith("dist/") && file !== "package.json" && file !== "README.md")).toEqual([]);
    expect(files.filter((file) => file.includes(".test."))).toEqual([]);
    expect(await readdir(emptyFolder)).toEqual([manifest!.filename]);

    const verified = await run(
      "npx",
      [
        "--yes",
        "--prefer-offline",
        "--package",
        `./${manifest!.filename}`,
        "vermilion-verify",
        "--rpc",
        fixture.rpcUrl,
        "--factory",
        fixture.factory,
        "--contract",
        fixture.collection,
        "--token",
        "1000001",
        "--gateway",
        fixture.platform.server.url,
        "--chain-id",
        "31337",
      ],
      { cwd: emptyFolder, env: outsideEnvironment(), timeout: 240_000 },
    );
    const report = JSON.parse(verified.stdout) as TokenReport;
    expect(report).toMatchObject({ verdict: "pass", subject: { contract: getAddress(fixture.collection), tokenId: "1000001", serial: 1 } });
    expect(report.checks.map((check) => [check.name, check.status])).toContainEqual(["contract.identity", "pass"]);
    expect(report.checks.map((check) => [check.name, check.status])).toContainEqual(["media.content", "pass"]);
  }, 300_000);
});
