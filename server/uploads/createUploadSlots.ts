import { VermilionError } from "../errors/VermilionError.js";

/** How long a client refused for lack of a slot is asked to wait. */
export const UPLOAD_RETRY_AFTER_SECONDS = 5;

export interface UploadSlots {
  /** Takes a slot, or throws UPLOADS_BUSY (503) when all are taken; the returned function frees it (once). */
  acquire(): () => void;
  readonly inUse: number;
}

/**
 * A bound on the uploads this process receives at once: each one holds a temporary file, a scan and,
 * for images, a decode on libuv's thread pool; past the bound a request is refused before its body is read.
 */
export function createUploadSlots(limit: number): UploadSlots {
  let inUse = 0;
  return {
    acquire() {
      if (inUse >= limit) throw new VermilionError("UPLOADS_BUSY", { retryAfterSeconds: UPLOAD_RETRY_AFTER_SECONDS });
      inUse++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inUse--;
      };
    },
    get inUse() {
      return inUse;
    },
  };
}
