import { api, ipfsUrl } from "./api.js";
import { locale } from "./i18n/i18n.js";

export interface LocalizedText {
  name: string;
  description: string;
}

/**
 * The serial's title and description in the reader's language, from the edition's localized metadata
 * (`<localizedMetadataCid>/<locale>/<serial>.json`); the default text when there is no translation.
 */
export async function localizedText(localizedMetadataCid: string | null, serial: number, fallback: LocalizedText): Promise<LocalizedText> {
  if (!localizedMetadataCid || locale() === "en") return fallback;
  try {
    const document = await api<{ name?: string; description?: string }>(ipfsUrl(localizedMetadataCid, `${locale()}/${serial}.json`));
    return { name: document.name ?? fallback.name, description: document.description ?? fallback.description };
  } catch {
    return fallback;
  }
}
