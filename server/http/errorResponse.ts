import type { ErrorRequestHandler, Request, Response } from "express";
import type { Locale } from "../errors/VermilionError.js";

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
}

/** Maps whatever a route threw to a catalogue error; anything unknown is INTERNAL and keeps its cause. */
export function toVermilionError(error: unknown): VermilionError {
  if (error instanceof VermilionError) return error;
  const parserError = error as BodyParserError;
  if (parserError?.type === "entity.too.large") {
    return new VermilionError("PAYLOAD_TOO_LARGE", { limit: `${parserError.limit ?? "?"} bytes` }, { cause: error });
  }
  if (parserError?.type === "entity.parse.failed") return new VermilionError("INVALID_JSON", {}, { cause: error });
  return new VermilionError("INTERNAL", {}, { cause: error });
}

/**
 * The one error handler: `{ error: { code, message, details } }` with the catalogue's status, the
 * message in the client's language. Internal details never leave the server; they are logged.
 */
export function createErrorHandler(logError: (error: unknown, request: Request, response: Response) => void): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const vermilionError = toVermilionError(error);
    if (vermilionError.status >= 500) logError(error, request, response);
    const requestId = requestIdOf(response);
    response.status(vermilionError.status).json({
      error: {
        code: vermilionError.code,
        message: vermilionError.messageIn(preferredLocale(request)),
        details: vermilionError.status >= 500 ? {} : vermilionError.details,
        // Quoted in a support request, it finds the server's log lines of this request.
        ...(requestId ? { requestId } : {}),
      },
    });
  };
}
