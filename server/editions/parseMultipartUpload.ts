import type { Request } from "express";

import busboy from "busboy";

import { VermilionError } from "../errors/VermilionError.js";

export interface UploadedFile {
  field: string;
  filename: string;
  /** The bytes as they arrived; validated (magic bytes, structure) by the media action, not here. */
  chunks: Uint8Array[];
  sizeBytes: number;
}

export interface ParseMultipartUploadParameters {
  /** File fields accepted; any other file field is refused. */
  fileFields: readonly string[];
  /** Hard cap per file, before media-type limits apply. */
  maxFileBytes: number;
  maxFieldBytes?: number;
  maxFields?: number;
}

export interface ParseMultipartUploadReturnType {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

/**
 * Reads a `multipart/form-data` request completely into memory (bounded by `maxFileBytes`) before
 * anything is validated or stored, so text fields that arrive after a file still decide whether the
 * file is accepted, and a rejected request writes nothing.
 */
export function parseMultipartUpload(
  request: Request,
  parameters: ParseMultipartUploadParameters,
): Promise<ParseMultipartUploadReturnType> {
  if (!request.is("multipart/form-data")) {
    return Promise.reject(new VermilionError("CONTENT_TYPE_UNSUPPORTED", { expected: "multipart/form-data" }));
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    let failure: VermilionError | undefined;
    const fail = (error: VermilionError) => {
      failure ??= error;
    };
    let parser: busboy.Busboy;
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
    parser.on("file", (name, stream, info) => {
      if (!parameters.fileFields.includes(name)) {
        fail(new VermilionError("VALIDATION_FAILED", { field: `body.${name}`, reason: "is not an accepted file field" }));
        stream.resume();
        return;
      }
      const file: UploadedFile = { field: name, filename: info.filename ?? "", chunks: [], sizeBytes: 0 };
      files[name] = file;
      stream.on("data", (chunk: Buffer) => {
        file.chunks.push(chunk);
        file.sizeBytes += chunk.byteLength;
      });
      stream.on("limit", () => {
        fail(new VermilionError("PAYLOAD_TOO_LARGE", { limit: `${parameters.maxFileBytes} bytes (field ${name})` }));
      });
    });
    parser.on("filesLimit", () => fail(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "has too many files" })));
    parser.on("fieldsLimit", () => fail(new VermilionError("VALIDATION_FAILED", { field: "body", reason: "has too many fields" })));
    parser.on("error", (cause: unknown) =>
      reject(failure ?? new VermilionError("VALIDATION_FAILED", { field: "body", reason: "is not valid multipart/form-data" }, { cause })),
    );
    parser.on("close", () => (failure ? reject(failure) : resolve({ fields, files })));
    request.pipe(parser);
  });
}
