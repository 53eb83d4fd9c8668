import type { ErrorCode, ErrorSpec } from "./errorCatalogue.js";

import { errorCatalogue } from "./errorCatalogue.js";
import { translateReason } from "./translateReason.js";

export type Locale = "en" | "zh-CN";

/** Values that fill a message's placeholders and travel to the client as `details`. */
export type ErrorDetails = Record<string, string | number | boolean | null | undefined | readonly unknown[]>;

function fillTemplate(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, key: string) => {
    const value = details[key];
    return value === undefined ? placeholder : String(value);
  });
}

/**
 * The one error type of the platform: a catalogue code, its details, and the cause it wraps. Status,
 * retryability and message come from the catalogue, never from the throw site.
 */
export class VermilionError extends Error {
  override readonly name = "VermilionError";
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  /** Placeholder values in another language (a validation reason in Chinese), used by `messageIn` only. */
  readonly localizedDetails: Partial<Record<Locale, ErrorDetails>>;

  constructor(
    code: ErrorCode,
    details: ErrorDetails = {},
    options?: { cause?: unknown; localizedDetails?: Partial<Record<Locale, ErrorDetails>> },
  ) {
    super(fillTemplate(errorCatalogue[code].message.en, details), options);
    this.code = code;
    this.details = details;
    this.localizedDetails = options?.localizedDetails ?? {};
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  get retryable(): boolean {
    return errorCatalogue[this.code].retryable;
  }

  /** The message in `locale`, for a person reading it. */
  messageIn(locale: Locale): string {
    const localized: ErrorDetails = { ...this.details, ...this.localizedDetails[locale] };
    if (this.localizedDetails[locale]?.reason === undefined && typeof this.details.reason === "string") {
      localized.reason = translateReason(this.details.reason, locale);
    }
    return fillTemplate(errorCatalogue[this.code].message[locale], localized);
  }

  /** The message a client is shown: `messageIn`, unless the catalogue keeps this code's words for the logs. */
  clientMessageIn(locale: Locale): string {
    const spec: ErrorSpec = errorCatalogue[this.code];
    return spec.clientMessage ? spec.clientMessage[locale] : this.messageIn(locale);
  }
}

/** Whether `error` is a VermilionError, optionally with `code`. */
export function isVermilionError(error: unknown, code?: ErrorCode): error is VermilionError {
  return error instanceof VermilionError && (code === undefined || error.code === code);
}
