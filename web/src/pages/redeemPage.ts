import type { PageContext } from "../router.js";

import { h } from "../dom.js";

// Placeholder until the redeem page lands (issue 19); replaced, not extended.
export default async function redeemPage(_context: PageContext): Promise<HTMLElement> {
  return h("section", null);
}
