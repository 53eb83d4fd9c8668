import type { ErrorRequestHandler, Request, Response } from "express";
import type { Locale } from "../errors/VermilionError.js";

import { isVerifierError } from "vermilion-verify/verifierError.js";

import { fromVerifierError } from "../errors/fromVerifierError.js";
import { VermilionError } from "../errors/VermilionError.js";
import { requestIdOf } from "./requestContext.js";

/** The language of human-readable messages: zh-CN when the client prefers Chinese, English otherwise. */
export function preferredLocale(request: Request): Locale {
  const preferred = request.acceptsLanguages("en", "zh-CN", "zh");
  return preferred === "zh-CN" || preferred === "zh" ? "zh-CN" : "en";
}

interface BodyParserError {
  type?: string;
  limit?: number;
  status?: number;
  /** http-errors' mark of an error that is the client's doing (a 4xx). */
  expose?: boolean;
}

/** Maps whatever a route threw to a catalogue error; anything unknown is INTERNAL and keeps its cause. */
export function toVermilionError(error: unknown): VermilionError {
  if (error instanceof VermilionError) return error;
  if (isVerifierError(error)) return fromVerifierError(error) as VermilionError;
  const parserError = error as BodyParserError;
  if (parserError?.type === "entity.too.large") {
    return new VermilionError("PAYLOAD_TOO_LARGE", { limit: `${parserError.limit ?? "?"} bytes` }, { cause: error });
  }
  if (parserError?.type === "entity.parse.failed") return new VermilionError("INVALID_JSON", { field: "body" }, { cause: error });
  // The JSON parser's other refusals: a charset or Content-Encoding it does not read, a body that does not
  // inflate or is shorter than its Content-Length. The client's doing, each a 4xx naming the body.
  if (parserError?.type === "charset.unsupported" || parserError?.type === "encoding.unsupported") {
    return new VermilionError("CONTENT_TYPE_UNSUPPORTED", { field: "body", expected: "application/json in UTF-8, uncompressed or gzip/deflate" }, { cause: error });
  }
  if (parserError?.expose === true && typeof parserError.status === "number" && parserError.status >= 400 && parserError.status < 500) {
    return new VermilionError("VALIDATION_FAILED", { field: "body", reason: "must be a complete body in its declared encoding" }, { cause: error });
  }
  // Express could not percent-decode a path parameter (`/ipfs/%E0%A4%A`).
  if (error instanceof URIError) {
    return new VermilionError("VALIDATION_FAILED", { field: "path", reason: "must be valid percent-encoding" }, { cause: error });
  }
  return new VermilionError("INTERNAL", {}, { cause: error });
}

/**
 * The one error handler: `{ error: { code, message, details } }` with the catalogue's status, the
 * message in the client's language. Internal details never leave the server; they are logged.
 */
/** Bytes and time a refused request's unread body may still take before its socket is destroyed. */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2_000;

function lingerThenClose(request: Request): void {
  const socket = request.socket;
  let drained = 0;
  const close = () => socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  request.on("data", (chunk: Buffer) => {
    drained += chunk.byteLength;
    if (drained > LINGER_BYTES) close();
  });
  request.resume();
}

export function createErrorHandler(logError: (error: unknown, request: Request, response: Response) => void): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const vermilionError = toVermilionError(error);
    if (vermilionError.status >= 500) logError(error, request, response);
    const requestId = requestIdOf(response);
    // A queue or limit that says when to come back says it the standard way too.
    const retryAfterSeconds = vermilionError.details.retryAfterSeconds;
    if (vermilionError.retryable && typeof retryAfterSeconds === "number") response.setHeader("Retry-After", String(retryAfterSeconds));
    // Refused before its body was read (a rate limit, a size or type check): Node would otherwise read
    // and discard the rest, so a client could make us swallow any number of 200 MiB bodies by sending
    // them where they are refused. The connection closes instead, after a short lingering read (as
    // nginx's lingering_close) so the client can still read the answer before the socket goes.
    if (!request.complete && !response.headersSent) {
      response.setHeader("Connection", "close");
      response.once("finish", () => lingerThenClose(request));
    }
    response.status(vermilionError.status).json({
      error: {
        code: vermilionError.code,
        // A 5xx never quotes another system's words (a remote store's error text): those are logged above.
        message: vermilionError.clientMessageIn(preferredLocale(request)),
        details: vermilionError.status >= 500 ? {} : vermilionError.details,
        // Quoted in a support request, it finds the server's log lines of this request.
        ...(requestId ? { requestId } : {}),
      },
    });
  };
}
