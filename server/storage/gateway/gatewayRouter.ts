import type { UnixFSEntry } from "ipfs-unixfs-exporter";
import type { RouteDoc } from "../../http/routeDoc.js";

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CarWriter } from "@ipld/car/writer";
import { Router, type NextFunction, type Request, type Response } from "express";
import { CID } from "multiformats/cid";
import { z } from "zod";
import { detectMediaType } from "../media/detectMediaType.js";
import { mediaTypes } from "../media/mediaTypes.js";
import { catContent, resolveContent } from "../readContent.js";
import { VermilionError } from "../../errors/VermilionError.js";
import { parseInput } from "../../http/parseInput.js";
import { blockKey } from "vermilion-verify/content/blockKey.js";

import { walkDag } from "../walkDag.js";
import { blockReader, type GatewayStore } from "./blockReader.js";
import { allowCrossOriginReads, matchesEtag, setImmutableHeaders } from "./gatewayHeaders.js";
import { parseByteRange } from "./parseByteRange.js";

export type CreateGatewayRouterParameters = { store: GatewayStore };

export type CreateGatewayRouterReturnType = Router;

const MEDIA_TYPE_RAW = "application/vnd.ipld.raw";
const MEDIA_TYPE_CAR = "application/vnd.ipld.car";
const CAR_CONTENT_TYPE = `${MEDIA_TYPE_CAR}; version=1; order=dfs; dups=n`;

const querySchema = z.object({ format: z.enum(["raw", "car"], "must be raw, car or absent").optional() });

/** The codecs this gateway walks and deserializes (UnixFS); the store verifies sha2-256 only. */
const SERVED_CODECS = new Map([
  [0x70, "dag-pb"],
  [0x55, "raw"],
]);
const SHA2_256 = 0x12;
// A CID is about 60 characters; a few hundred leaves room for any real one and none for a payload.
const MAX_CID_LENGTH = 200;

const gatewayResponses: RouteDoc["responses"] = {
  200: "The block (raw), a CAR (car) or the file bytes with a fixed Content-Type; a directory as a JSON listing",
  206: "The requested byte range",
  304: "Not modified (If-None-Match matched the ETag)",
  400: "INVALID_CID, CID_NOT_SERVED (identity hash, or a codec or hash the store does not hold), VALIDATION_FAILED (format)",
  404: "CONTENT_NOT_FOUND or PATH_NOT_FOUND",
  416: "INVALID_RANGE",
};

/** The routes above, for the OpenAPI document. */
export const gatewayRouteDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/ipfs/:cid",
    summary: "Content by CID: trustless (Accept: application/vnd.ipld.raw | application/vnd.ipld.car, or ?format=) or deserialized",
    auth: "none",
    params: z.object({ cid: z.string() }),
    query: querySchema,
    responses: gatewayResponses,
  },
  {
    method: "get",
    path: "/ipfs/:cid/*path",
    summary: "Content at a path under a CID (e.g. <metadataCid>/<serial>.json), same formats",
    auth: "none",
    params: z.object({ cid: z.string(), path: z.string() }),
    query: querySchema,
    responses: gatewayResponses,
  },
];

type Format = "raw" | "car" | "deserialized";

/**
 * `GET /ipfs/:cid[/path]` as an IPFS trustless gateway (raw blocks and CARs a client verifies
 * itself) plus plain responses for browsers with a fixed, sniff-proof Content-Type. It reads blocks
 * only from the given store and never fetches from the network. Errors are JSON with a stable code.
 */
export function createGatewayRouter(deps: CreateGatewayRouterParameters): CreateGatewayRouterReturnType {
  const router = Router();

  const serve = async (req: Request, res: Response) => {
    const format = requestedFormat(req);
    const cid = parseCid(String(req.params.cid), format);
    const segments = (req.params as { path?: string[] }).path ?? [];
    const path = segments.filter((segment) => segment !== "").join("/");
    const ipfsPath = `/ipfs/${cid.toString()}${path === "" ? "" : `/${path}`}`;
    if (format === "raw") return sendBlock(deps.store, req, res, { cid, path, ipfsPath });
    if (format === "car") return sendCar(deps.store, req, res, { cid, path, ipfsPath });
    return sendContent(deps.store, req, res, { cid, path, ipfsPath });
  };
  router.use("/ipfs", allowCrossOriginReads);
  router.get("/ipfs/:cid", serve);
  router.get("/ipfs/:cid/*path", serve);

  // Only the mid-stream case is handled here; every other error goes to the app's central handler.
  router.use("/ipfs", (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      // Cut the connection so the client sees a broken body, never a short "success".
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    next(error);
  });

  return router;
}

/**
 * The request's CID, refused with a 400 naming `params.cid` unless the store could hold it in this format:
 * 1. not a CID (or longer than any real one): INVALID_CID;
 * 2. an identity multihash: its "content" is the URL itself, never the store's, so CID_NOT_SERVED;
 * 3. a hash other than sha2-256 (the only one the store verifies and holds): CID_NOT_SERVED;
 * 4. as a file or a CAR, a codec other than raw or dag-pb (UnixFS, all we walk): CID_NOT_SERVED.
 *    A raw block is served whatever its codec: the client decodes it.
 */
function parseCid(text: string, format: Format): CID {
  let cid: CID;
  try {
    if (text.length > MAX_CID_LENGTH) throw new Error(`longer than ${MAX_CID_LENGTH} characters`);
    cid = CID.parse(text);
  } catch (error) {
    throw new VermilionError("INVALID_CID", { field: "params.cid", cid: text.slice(0, 100) }, { cause: error });
  }
  const codec = SERVED_CODECS.get(cid.code);
  if (cid.multihash.code !== SHA2_256 || (codec === undefined && format !== "raw")) {
    throw new VermilionError("CID_NOT_SERVED", {
      field: "params.cid",
      cid: cid.toString().slice(0, 100),
      codec: codec ?? `codec 0x${cid.code.toString(16)}`,
      hash: cid.multihash.code === 0 ? "the identity hash" : cid.multihash.code === SHA2_256 ? "sha2-256" : `hash 0x${cid.multihash.code.toString(16)}`,
    });
  }
  return cid;
}

/**
 * The response format, from `?format=` first (it wins, per the gateway spec) and then `Accept`.
 */
function requestedFormat(req: Request): Format {
  const query = parseInput(querySchema, req.query, "query");
  if (query.format !== undefined) return query.format;
  const accept = req.get("accept") ?? "";
  if (accept.includes(MEDIA_TYPE_RAW)) return "raw";
  if (accept.includes(MEDIA_TYPE_CAR)) return "car";
  return "deserialized";
}

type Target = { cid: CID; path: string; ipfsPath: string };

async function terminalCid(store: GatewayStore, target: Target, visited?: CID[]): Promise<UnixFSEntry | CID> {
  if (target.path === "") return target.cid;
  return resolveContent({ blockstore: blockReader(store, visited) }, { cid: target.cid, path: target.path });
}

async function sendBlock(store: GatewayStore, req: Request, res: Response, target: Target): Promise<void> {
  const resolved = await terminalCid(store, target);
  const cid = resolved instanceof CID ? resolved : resolved.cid;
  const etag = `"${cid.toString()}.raw"`;
  const bytes = await store.getBlock(cid);
  setImmutableHeaders(res, { etag, ipfsPath: target.ipfsPath });
  if (matchesEtag(req.get("if-none-match"), etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader("Content-Type", MEDIA_TYPE_RAW);
  res.setHeader("Content-Disposition", `attachment; filename="${cid.toString()}.bin"`);
  res.setHeader("Content-Length", String(bytes.byteLength));
  res.status(200).end(req.method === "HEAD" ? undefined : bytes);
}

/**
 * A CAR with the request's root CID as its root: the blocks needed to walk the path, then the
 * whole DAG of the entity at the end of it, depth-first, each block once.
 */
async function sendCar(store: GatewayStore, req: Request, res: Response, target: Target): Promise<void> {
  const pathBlocks: CID[] = [];
  const resolved = await terminalCid(store, target, pathBlocks);
  const entityCid = resolved instanceof CID ? resolved : resolved.cid;
  // Fail with a proper 404 before any byte is sent if the entity's root block is absent.
  if (!(await store.has(entityCid))) throw new VermilionError("CONTENT_NOT_FOUND", { cid: entityCid.toString() });
  const etag = `"${target.cid.toString()}${target.path === "" ? "" : `/${target.path}`}.car"`;
  setImmutableHeaders(res, { etag, ipfsPath: target.ipfsPath });
  if (matchesEtag(req.get("if-none-match"), etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader("Content-Type", CAR_CONTENT_TYPE);
  res.setHeader("Content-Disposition", `attachment; filename="${entityCid.toString()}.car"`);
  res.status(200);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  const { writer, out } = CarWriter.create([target.cid]);
  const reader = blockReader(store);
  const producing = (async () => {
    try {
      const seen = new Set<string>();
      // The path's own blocks (directories, HAMT shards) first, each alone, not their subtrees.
      for (const cid of pathBlocks) {
        const key = blockKey(cid);
        if (cid.equals(entityCid) || seen.has(key)) continue;
        seen.add(key);
        await writer.put({ cid, bytes: await store.getBlock(cid) });
      }
      for await (const block of walkDag(reader, { roots: [entityCid], seen })) await writer.put(block);
    } finally {
      await writer.close();
    }
  })();
  await Promise.all([pipeline(Readable.from(out), res), producing]);
}

async function sendContent(store: GatewayStore, req: Request, res: Response, target: Target): Promise<void> {
  const reader = blockReader(store);
  const entry = await resolveContent({ blockstore: reader }, { cid: target.cid, path: target.path });
  const etag = `"${entry.cid.toString()}"`;
  setImmutableHeaders(res, { etag, ipfsPath: target.ipfsPath });
  if (matchesEtag(req.get("if-none-match"), etag)) {
    res.status(304).end();
    return;
  }
  if (entry.type === "directory") {
    const entries: Array<{ name: string; cid: string; sizeBytes: string }> = [];
    for await (const child of entry.entries()) entries.push({ name: child.name, cid: child.cid.toString(), sizeBytes: child.size.toString() });
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.status(200).send(JSON.stringify({ cid: entry.cid.toString(), entries }));
    return;
  }
  if (entry.type === "object") throw new VermilionError("UNSUPPORTED_CODEC", { codec: `0x${entry.cid.code.toString(16)}` });

  const sizeBytes = Number(entry.size);
  const head = await firstBytes(catContent({ blockstore: reader }, { cid: entry.cid, lengthBytes: 64 }));
  res.setHeader("Content-Type", contentTypeFor(head, target.path));
  res.setHeader("Accept-Ranges", "bytes");
  const range = parseByteRange(req.get("range"), sizeBytes);
  if (range.kind === "unsatisfiable") {
    res.setHeader("Content-Range", `bytes */${sizeBytes}`);
    throw new VermilionError("INVALID_RANGE", { range: String(req.get("range")), size: sizeBytes });
  }
  const { start, end } = range.kind === "range" ? range.range : { start: 0, end: sizeBytes - 1 };
  const lengthBytes = Math.max(0, end - start + 1);
  if (range.kind === "range") {
    res.status(206);
    res.setHeader("Content-Range", `bytes ${start}-${end}/${sizeBytes}`);
  } else {
    res.status(200);
  }
  res.setHeader("Content-Length", String(lengthBytes));
  if (req.method === "HEAD" || lengthBytes === 0) {
    res.end();
    return;
  }
  await pipeline(Readable.from(catContent({ blockstore: reader }, { cid: entry.cid, offsetBytes: start, lengthBytes })), res);
}

/**
 * The one Content-Type a file is served with: an accepted media type by its magic bytes, JSON for
 * `.json` names (our metadata), otherwise opaque bytes — never anything a browser would render as a page.
 */
function contentTypeFor(head: Uint8Array, path: string): string {
  const detected = detectMediaType(head);
  if (detected.accepted) return mediaTypes[detected.mediaType].mimeType;
  if (path.endsWith(".json")) return "application/json; charset=utf-8";
  return "application/octet-stream";
}

async function firstBytes(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}
