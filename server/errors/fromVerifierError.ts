import { isVerifierError } from "vermilion-verify/verifierError.js";

import { VermilionError } from "./VermilionError.js";

/**
 * The verifier package throws its own error type (it cannot depend on the platform); its codes are the
 * catalogue's codes of the same meaning, so the platform re-raises them as its own. Anything else is
 * returned as it is.
 */
export function fromVerifierError(error: unknown): unknown {
  return isVerifierError(error) ? new VermilionError(error.code, error.details, { cause: error }) : error;
}
