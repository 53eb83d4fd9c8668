const KEY_STORAGE = "vermilion.issuerKey";

/** The console's API key: kept for this tab only (sessionStorage), so it survives a reload but not the browser. */
export function readApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function saveApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage refused: the key lives in memory for this page.
  }
}
