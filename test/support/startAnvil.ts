import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

const anvilBinary = path.join(import.meta.dirname, "..", "..", "node_modules", ".bin", "anvil");

export interface StartAnvilParameters {
  /** Extra command-line arguments, e.g. `["--block-time", "1"]`. */
  args?: readonly string[];
  /** Reuse a port (to restart a chain where a client expects it); a free one is picked otherwise. */
  port?: number;
}

export interface StartAnvilReturnType {
  rpcUrl: string;
  port: number;
  /** Stops the node and waits for it to exit. */
  stop: () => Promise<void>;
}

/** A free TCP port on loopback, found by letting the kernel pick one for a throwaway server. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForRpc(rpcUrl: string, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("anvil exited before answering");
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`anvil did not answer on ${rpcUrl} within ${timeoutMs} ms`);
}

/** Starts a real Anvil on 127.0.0.1 as a child process; it is killed when this process exits. */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<StartAnvilReturnType> {
  const port = parameters.port ?? (await findFreePort());
  const child = spawn(anvilBinary, ["--host", "127.0.0.1", "--port", String(port), "--silent", ...(parameters.args ?? [])], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForRpc(rpcUrl, () => exited, 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    rpcUrl,
    port,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (!exited) child.kill("SIGTERM");
      await exitedPromise;
    },
  };
}
