import type { Response } from "express";

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
