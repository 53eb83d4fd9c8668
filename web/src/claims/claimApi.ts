import type { ClaimView } from "../../../server/views/claimView.js";

import { api } from "../api.js";

export type { ClaimView };

/** What this browser remembers of a code: its hold, and the address it claimed for. */
export interface RememberedClaim {
  holdToken?: string;
  to?: string;
}

const storageKey = (code: string) => `vermilion.claim.${code}`;

/** The remembered hold and recipient of `code` (localStorage: a reload or a second tab keeps the hold). */
export function rememberedClaim(code: string): RememberedClaim {
  try {
    return JSON.parse(localStorage.getItem(storageKey(code)) ?? "{}") as RememberedClaim;
  } catch {
    return {};
  }
}

export function rememberClaim(code: string, update: RememberedClaim): void {
  try {
    localStorage.setItem(storageKey(code), JSON.stringify({ ...rememberedClaim(code), ...update }));
  } catch {
    // Private mode without storage: the hold lasts as long as this page.
  }
}

export function getClaim(code: string): Promise<ClaimView> {
  return api<ClaimView>(`/api/claims/${encodeURIComponent(code)}`);
}

export function holdClaim(code: string, holdToken: string | undefined): Promise<{ holdToken: string; heldUntil: string; claim: ClaimView }> {
  return api(`/api/claims/${encodeURIComponent(code)}/hold`, { method: "POST", body: holdToken ? { holdToken } : {} });
}

export function submitClaim(code: string, to: string, holdToken: string | undefined): Promise<ClaimView> {
  return api<ClaimView>(`/api/claims/${encodeURIComponent(code)}`, { method: "POST", body: { to, ...(holdToken ? { holdToken } : {}) } });
}
