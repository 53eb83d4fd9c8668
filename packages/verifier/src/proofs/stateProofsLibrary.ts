import type { StateProofs } from "./state/stateProofs.js";
import type { StateProofsLibrary } from "./provenState.js";

import { collectStateProofs } from "./state/collectStateProofs.js";
import { verifyStateProofs } from "./state/verifyStateProofs.js";

/**
 * The state-proof library of this package (proofs/state: eth_getProof proofs checked against the pinned
 * stateRoot, calls run offline in @ethereumjs/evm) as bundles use it by default. Taken through the
 * StateProofsLibrary interface so the bundle code depends on what it needs, not on how state is proven.
 */
export const stateProofsLibrary: StateProofsLibrary = {
  collect: (client, questions, block) => collectStateProofs(client, questions, block),
  // verifyStateProofs parses its input (zod) before trusting any of it.
  verify: (proofs, header) => verifyStateProofs(proofs as StateProofs, header),
};
