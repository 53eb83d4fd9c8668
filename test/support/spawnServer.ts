import type { ChildProcess } from "node:child_process";

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/**
 * Runs `server/main.ts` (what `npm start` runs) in its own process with `env`, and waits for it to
 * print its URL. Used by tests that must really kill the process (`kill -9`).
 */
export async function spawnServer(
  env: Record<string, string>,
  startTimeoutMs = 60_000,
  options: { singleProcess?: boolean } = {},
): Promise<SpawnedServer> {
  const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
  const mainFile = path.join(root, "server", "main.ts");
  // tsx's CLI runs the server in a child process; `singleProcess` loads tsx as a hook instead, so
  // `child` is the server itself and a signal sent to it (kill -9) reaches the server, not a wrapper.
  const args = options.singleProcess ? ["--import", "tsx", mainFile] : [tsxCli, mainFile];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
    const check = () => {
      const match = output.match(/Vermilion is running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before starting:\n${output}`));
    });
  });
  return { url, child, exited, output: () => output };
}
