import type { NextFunction, Request, Response } from "express";

/** A year in seconds: what IPFS gateways send for immutable /ipfs/ responses. */
const IMMUTABLE_MAX_AGE_SECONDS = 29_030_400;

/**
 * Headers every successful /ipfs/ response carries: content under a CID never changes, and no
 * browser may second-guess the declared type (our media could otherwise be sniffed as HTML).
 */
export function setImmutableHeaders(res: Response, parameters: { etag: string; ipfsPath: string }): void {
  res.setHeader("Cache-Control", `public, max-age=${IMMUTABLE_MAX_AGE_SECONDS}, immutable`);
  res.setHeader("ETag", parameters.etag);
  res.setHeader("X-Content-Type-Options", "nosniff");
  // Served bytes are never a document: no scripts, no plugins, no framing.
  res.setHeader("Content-Security-Policy", "default-src 'none'; media-src 'self'; img-src 'self'; sandbox");
  res.setHeader("X-Ipfs-Path", parameters.ipfsPath);
  res.setHeader("Vary", "Accept");
}

/** Whether `If-None-Match` already names this ETag (then 304, no body). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

/**
 * CORS for every /ipfs/ answer (errors too): content addressed by CID is public and verified by its
 * reader, so any page may read it, e.g. a reader's in-browser verifier served by another site. No
 * cookies or keys are involved, so `*` is safe. Helmet's `Cross-Origin-Resource-Policy: same-origin`
 * is relaxed for the same reason. A preflight (a client sending `Range`) is answered here.
 */
export function allowCrossOriginReads(req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag, X-Ipfs-Path");
  res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
  if (req.method !== "OPTIONS") return next();
  res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Accept, Range, If-None-Match");
  res.setHeader("Access-Control-Max-Age", "86400");
  res.status(204).end();
}
