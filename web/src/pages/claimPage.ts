import type { PageContext } from "../router.js";

import { h } from "../dom.js";

// Placeholder until the claim page lands (issue 19); replaced, not extended.
export default async function claimPage(_context: PageContext): Promise<HTMLElement> {
  return h("section", null);
}
