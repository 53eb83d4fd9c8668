import { spawn } from "node:child_process";
import path from "node:path";

export interface VerifyCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vermilion-verify` as an auditor would, with no platform at all: the package's built CLI
 * (packages/verifier/dist, which `npm run build` makes), and collects what it prints.
 */
export function runVerifyCli(args: string[]): Promise<VerifyCliResult> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "packages", "verifier", "dist", "cli", "verify.js"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
