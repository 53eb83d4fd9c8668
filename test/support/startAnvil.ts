import type { StartAnvilReturnType as ServerAnvil } from "../../server/chain/startAnvil.js";

import { startAnvil as startServerAnvil } from "../../server/chain/startAnvil.js";

export { findFreePort } from "../../server/chain/startAnvil.js";

export interface StartAnvilParameters {
  /** Extra command-line arguments, e.g. `["--block-time", "1"]`. */
  args?: readonly string[];
  /** Reuse a port (to restart a chain where a client expects it); a free one is picked otherwise. */
  port?: number;
}

export type StartAnvilReturnType = Pick<ServerAnvil, "rpcUrl" | "port" | "stop">;

/** A throwaway Anvil on 127.0.0.1 for a test: the platform's own launcher, with test-friendly arguments. */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<StartAnvilReturnType> {
  return startServerAnvil({
    ...(parameters.port !== undefined ? { port: parameters.port } : {}),
    ...(parameters.args ? { extraArgs: parameters.args } : {}),
  });
}
