/**
 * The content layer's error catalogue: every failure has a stable code, an HTTP status and a
 * message template, so routes map errors without parsing text and tests assert the code.
 */
export const storageErrorCatalogue = {
  CONTENT_NOT_FOUND: { httpStatus: 404, retryable: false, template: "No content for {cid}" },
  PATH_NOT_FOUND: { httpStatus: 404, retryable: false, template: "No entry {path} under {cid}" },
  INVALID_CID: { httpStatus: 400, retryable: false, template: "Not a valid CID: {cid}" },
  INVALID_RANGE: { httpStatus: 416, retryable: false, template: "Range {range} cannot be satisfied for {size} bytes" },
  UNSUPPORTED_CODEC: { httpStatus: 422, retryable: false, template: "Codec {codec} is not supported here" },
  UNSUPPORTED_HASH: { httpStatus: 422, retryable: false, template: "Multihash code {code} is not supported here" },
  NOT_A_FILE: { httpStatus: 400, retryable: false, template: "{cid} is a {type}, not a file" },
  PIN_INCOMPLETE: { httpStatus: 409, retryable: false, template: "Cannot pin {cid}: block {missing} is missing" },
  BLOCK_HASH_MISMATCH: { httpStatus: 422, retryable: false, template: "Block {cid} does not hash to its CID" },
  CAR_INVALID: { httpStatus: 400, retryable: false, template: "Not a valid CAR: {reason}" },
  CID_MISMATCH: {
    httpStatus: 502,
    retryable: false,
    template: "Remote node returned {remoteCid}, local import computed {localCid}",
  },
  REMOTE_UNAVAILABLE: { httpStatus: 503, retryable: true, template: "Remote IPFS node failed: {reason}" },
  PINNING_SERVICE_REJECTED: { httpStatus: 502, retryable: false, template: "Pinning service refused ({status}): {reason}" },
  PINNING_SERVICE_UNAVAILABLE: { httpStatus: 503, retryable: true, template: "Pinning service unreachable or failing: {reason}" },
  MEDIA_EMPTY: { httpStatus: 400, retryable: false, template: "The media file is empty" },
  MEDIA_TYPE_UNSUPPORTED: {
    httpStatus: 415,
    retryable: false,
    template: "Media type not accepted ({detected}); allowed: PNG, JPEG, WebP, GIF, MP4, WebM, MP3, GLB",
  },
  MEDIA_ACTIVE_CONTENT: { httpStatus: 415, retryable: false, template: "Media contains markup or script ({marker})" },
  MEDIA_TRUNCATED: { httpStatus: 422, retryable: false, template: "The {mediaType} file is truncated or malformed: {reason}" },
  MEDIA_MALFORMED: { httpStatus: 422, retryable: false, template: "The {mediaType} file is malformed: {reason}" },
  MEDIA_TOO_LARGE: { httpStatus: 413, retryable: false, template: "{mediaType} over the {limitBytes}-byte limit" },
  METADATA_INVALID: { httpStatus: 400, retryable: false, template: "Invalid edition metadata: {reason}" },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; template: string }>;

export type StorageErrorCode = keyof typeof storageErrorCatalogue;

export type StorageErrorType = StorageError;

/** A content-layer failure with a stable code; `details` fill the message template. */
export class StorageError extends Error {
  override name = "StorageError";
  readonly code: StorageErrorCode;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(
    code: StorageErrorCode,
    details: Record<string, string | number> = {},
    options: { cause?: unknown } = {},
  ) {
    const entry = storageErrorCatalogue[code];
    const message = entry.template.replace(/\{(\w+)\}/g, (_, key: string) => String(details[key] ?? `{${key}}`));
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.httpStatus = entry.httpStatus;
    this.retryable = entry.retryable;
    this.details = details;
  }

  toJSON(): { code: StorageErrorCode; message: string; details: Readonly<Record<string, string | number>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Whether an error is the given content-layer failure (tests and routes branch on codes, not text). */
export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
