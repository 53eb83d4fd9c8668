import type { ChildProcess } from "node:child_process";

import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

import { VermilionError } from "../errors/VermilionError.js";

export interface StartAnvilParameters {
  /** File the chain's blocks, logs and state are loaded from and dumped to; omitted: nothing persists. */
  stateFile?: string;
  /** Port on 127.0.0.1; omitted or taken: a free one. */
  port?: number;
  chainId?: number;
  /** Seconds between state dumps, bounding what a hard kill can lose. */
  stateIntervalSeconds?: number;
  startTimeoutMs?: number;
  /** Further command-line arguments, e.g. `["--block-time", "1"]` or `["--load-state", file]`. */
  extraArgs?: readonly string[];
}

export interface StartAnvilReturnType {
  rpcUrl: string;
  port: number;
  chainId: number;
  process: ChildProcess;
  /** Stops the chain gracefully (Anvil writes its state on SIGTERM) and waits for it to exit. */
  stop: () => Promise<void>;
}

/** The Anvil binary shipped by the npm package @foundry-rs/anvil for this platform. */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  return path.join(path.dirname(require.resolve(`${platformPackage}/package.json`)), "bin", "anvil");
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForRpc(rpcUrl: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${child.exitCode}`);
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const body = (await response.json()) as { result?: string };
      if (body.result) return Number.parseInt(body.result, 16);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`anvil did not answer on ${rpcUrl} within ${timeoutMs} ms`, { cause: lastError });
}

/**
 * Starts Anvil as a child process on 127.0.0.1 and waits until it answers. With `stateFile`, the chain
 * resumes from the file and dumps to it periodically and on exit, so tokens survive restarts. A port
 * taken between choosing it and binding it (another process starting at the same moment) is retried
 * on a fresh one.
 */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<StartAnvilReturnType> {
  for (let attempt = 1; ; attempt += 1) {
    const port =
      attempt === 1 && parameters.port !== undefined && (await isPortFree(parameters.port))
        ? parameters.port
        : await findFreePort();
    try {
      return await startAnvilOnPort(parameters, port);
    } catch (error) {
      const portTaken = error instanceof VermilionError && /address already in use|in use/i.test(String(error.details.reason));
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}

async function startAnvilOnPort(parameters: StartAnvilParameters, port: number): Promise<StartAnvilReturnType> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(parameters.chainId ?? 31337)];
  if (parameters.stateFile) {
    await mkdir(path.dirname(parameters.stateFile), { recursive: true });
    args.push("--state", parameters.stateFile, "--state-interval", String(parameters.stateIntervalSeconds ?? 1));
  }
  args.push(...(parameters.extraArgs ?? []), "--silent");

  let child: ChildProcess;
  try {
    child = spawn(anvilBinaryPath(), args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (cause) {
    throw new VermilionError("CHAIN_START_FAILED", { reason: "the anvil binary could not be started" }, { cause });
  }
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const rpcUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timeout = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timeout);
  };

  try {
    const chainId = await waitForRpc(rpcUrl, child, parameters.startTimeoutMs ?? 20_000);
    return { rpcUrl, port, chainId, process: child, stop };
  } catch (cause) {
    await stop();
    throw new VermilionError(
      "CHAIN_START_FAILED",
      { reason: stderr.trim() || (cause instanceof Error ? cause.message : String(cause)) },
      { cause },
    );
  }
}
