import type { Request } from "express";
import type { MediaScanLimits } from "../storage/media/createMediaScan.js";
import type { MediaFile } from "../storage/media/writeMediaFile.js";

import { rm } from "node:fs/promises";

import busboy from "busboy";

import { VermilionError } from "../errors/VermilionError.js";
import { writeMediaFile } from "../storage/media/writeMediaFile.js";

export interface ReceiveUploadParameters {
  /** File fields accepted; any other file field is refused. */
  fileFields: readonly string[];
  /** Hard cap per file, before media-type limits apply. */
  maxFileBytes: number;
  maxFieldBytes?: number;
  maxFields?: number;
  /** Limits of the streaming scan (per-type sizes, declared sizes). */
  limits?: MediaScanLimits;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  /** Each file already scanned (type, size, structure, SHA-256, markup) and waiting in a temporary file. */
  files: Record<string, MediaFile>;
  /** Removes the temporary files; call it once the upload is stored or refused. */
  discard(): Promise<void>;
}

/**
 * Receives a `multipart/form-data` request: every file streams into a temporary file under `tempDir`
 * through the media scan, chunk by chunk, so memory per upload stays constant and a bad file is refused
 * at the chunk that shows it. Text fields are collected whether they come before or after the files;
 * the caller validates them before anything is stored.
 *
 * On any failure (a refused file, a malformed body, a client that goes away mid-body) every temporary
 * file is removed before the promise rejects: nothing is left behind.
 */
export function receiveUpload(deps: { tempDir: string }, request: Request, parameters: ReceiveUploadParameters): Promise<ReceivedUpload> {
  if (!request.is("multipart/form-data")) {
    return Promise.reject(new VermilionError("CONTENT_TYPE_UNSUPPORTED", { expected: "multipart/form-data" }));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, MediaFile> = {};
    /** Every file written, kept or not: all of them go when the upload is discarded or refused. */
    const written: string[] = [];
    const seenFileFields = new Set<string>();
    const writes: Array<Promise<unknown>> = [];
    let failure: VermilionError | undefined;
    let settled = false;
    const removeAll = async () => {
      await Promise.allSettled(writes);
      await Promise.all(written.map((filePath) => rm(filePath, { force: true })));
    };
    let parser: busboy.Busboy;
    /** The first failure ends the upload: the body is no longer read and every file written so far is removed. */
    const fail = (error: VermilionError) => {
      failure ??= error;
      if (settled) return;
      settled = true;
      request.unpipe(parser);
      parser.destroy();
      void removeAll().then(() => reject(failure));
    };
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          fileSize: parameters.maxFileBytes,
          fieldSize: parameters.maxFieldBytes ?? 256 * 1024,
          fields: parameters.maxFields ?? 50,
          files: parameters.fileFields.length,
        },
      });
    } catch (cause) {
      reject(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "is not valid multipart/form-data" }, { cause }));
      return;
    }
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(new VermilionError("VALIDATION_FAILED", { field: `body.${name}`, reason: "is too long" }));
      fields[name] = value;
    });
    /** A part that will not be kept: drained, and its end (destroyed with the parser) not an error of ours. */
    const ignore = (stream: NodeJS.ReadableStream) => {
      stream.on("error", () => undefined);
      stream.resume();
    };
    parser.on("file", (name, stream) => {
      if (!parameters.fileFields.includes(name)) {
        ignore(stream);
        fail(new VermilionError("VALIDATION_FAILED", { field: `body.${name}`, reason: "is not an accepted file field" }));
        return;
      }
      if (seenFileFields.has(name)) {
        ignore(stream);
        fail(new VermilionError("VALIDATION_FAILED", { field: `body.${name}`, reason: "appears more than once" }));
        return;
      }
      seenFileFields.add(name);
      if (failure) {
        ignore(stream);
        return;
      }
      stream.on("limit", () => {
        stream.destroy(new VermilionError("PAYLOAD_TOO_LARGE", { limit: `${parameters.maxFileBytes} bytes (field ${name})` }));
      });
      writes.push(
        writeMediaFile({ tempDir: deps.tempDir }, { content: stream, ...(parameters.limits ? { limits: parameters.limits } : {}) }).then(
          (file) => {
            files[name] = file;
            written.push(file.path);
            // A failure while this file was still being written: its own file must go too.
            if (settled) return rm(file.path, { force: true });
          },
          (error: unknown) => {
            ignore(stream);
            fail(
              error instanceof VermilionError
                ? error
                : new VermilionError("VALIDATION_FAILED", { field: `body.${name}`, reason: "did not arrive whole" }, { cause: error }),
            );
          },
        ),
      );
    });
    parser.on("filesLimit", () => fail(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "has too many files" })));
    parser.on("fieldsLimit", () => fail(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "has too many fields" })));
    parser.on("error", (cause: unknown) =>
      fail(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "is not valid multipart/form-data" }, { cause })),
    );
    // A client that goes away mid-body: the parser never finishes, so end it here.
    request.on("close", () => {
      if (!request.complete) fail(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "did not arrive whole" }));
    });
    parser.on("close", () => {
      void Promise.allSettled(writes).then(() => {
        if (settled) return;
        settled = true;
        if (failure) {
          void removeAll().then(() => reject(failure));
          return;
        }
        resolve({ fields, files, discard: () => removeAll() });
      });
    });
    request.pipe(parser);
  });
}
