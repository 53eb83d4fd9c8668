import type { Address } from "viem";
import type { ApiErrorBody } from "../support/httpClient.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { CID } from "multiformats/cid";
import * as dagCbor from "@ipld/dag-cbor";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256, sha512 } from "multiformats/hashes/sha2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { samplePng } from "../storage/mediaSamples.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/**
 * The bad-input suite: every route's parameters, query strings and bodies fed what a careless or hostile
 * client sends. Nothing may answer 500, and a refusal must name the field it refuses.
 */

let platform: TestPlatform;
let adminKey: string;
let issuerKey: string;
let issuerId: string;
let collection: Address;
let cids: Record<"identity" | "sha512" | "dagCbor" | "unknownCodec" | "absentRaw" | "media" | "metadata", string>;

beforeAll(async () => {
  platform = await startTestPlatform("bad-input");
  adminKey = platform.server.firstAdminApiKey!;
  const issuer = await createIssuerWithCollection(platform.call, adminKey);
  issuerKey = issuer.apiKey;
  issuerId = issuer.issuerId;
  collection = issuer.collection;
  const form = new FormData();
  for (const [name, value] of Object.entries({ name: "Bad input", description: "", maxSupply: "2", license: "CC0-1.0" })) form.append(name, value);
  form.append("media", new Blob([new Uint8Array(samplePng(8, 8))]), "seal.png");
  const created = await fetch(`${platform.server.url}/api/collections/${collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuerKey}` },
    body: form,
  });
  const edition = (await created.json()) as { mediaCid: string; metadataCid: string };
  if (created.status !== 201) throw new Error(`edition creation failed: ${JSON.stringify(edition)}`);
  const bytes = new TextEncoder().encode("served from the URL, not from the store");
  cids = {
    identity: CID.createV1(raw.code, identity.digest(bytes)).toString(),
    sha512: CID.createV1(raw.code, await sha512.digest(bytes)).toString(),
    dagCbor: CID.createV1(dagCbor.code, await sha256.digest(dagCbor.encode({ a: 1 }))).toString(),
    // git-raw (0x78): a codec nothing here decodes.
    unknownCodec: CID.createV1(0x78, await sha256.digest(bytes)).toString(),
    absentRaw: CID.createV1(raw.code, await sha256.digest(bytes)).toString(),
    media: edition.mediaCid,
    metadata: edition.metadataCid,
  };
});

afterAll(async () => {
  await platform?.stop();
});

const PAST_INT8 = "9223372036854775808";
const TWENTY_DIGITS = "99999999999999999999";
const INT8_MAX = "9223372036854775807";
const cursorOf = (text: string) => Buffer.from(text, "utf8").toString("base64url");

interface Case {
  name: string;
  method?: "GET" | "POST" | "DELETE";
  /** The route, with `{collection}`, `{identity}` etc. filled at run time. */
  path: string;
  auth?: "admin" | "issuer";
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** The status expected, or a 4xx by default. */
  status?: number;
  /** The name the refusal must carry in `details.field` (a 404 of an unknown thing names none). */
  field?: string;
  /** The catalogue code expected, where the case is about one. */
  code?: string;
}

const cases: Case[] = [
  // Token ids past int8, and not numbers at all.
  { name: "token id past int8", path: `/api/tokens/{collection}/${PAST_INT8}`, field: "params.tokenId" },
  { name: "token id of twenty digits", path: `/api/tokens/{collection}/${TWENTY_DIGITS}`, field: "params.tokenId" },
  { name: "token id at int8's maximum is merely unknown", path: `/api/tokens/{collection}/${INT8_MAX}`, status: 404 },
  { name: "negative token id", path: "/api/tokens/{collection}/-1", field: "params.tokenId" },
  { name: "token id in hex", path: "/api/tokens/{collection}/0x10", field: "params.tokenId" },
  { name: "token id in exponent form", path: "/api/tokens/{collection}/1e6", field: "params.tokenId" },
  { name: "provenance of a token id past int8", path: `/api/tokens/{collection}/${PAST_INT8}/provenance`, field: "params.tokenId" },
  { name: "verify a token id past int8", path: `/api/tokens/{collection}/${PAST_INT8}/verify`, field: "params.tokenId" },
  { name: "verify a nineteen-digit token id past int8", path: "/api/tokens/{collection}/9999999999999999999/verify", field: "params.tokenId" },
  { name: "token of a malformed address", path: "/api/tokens/0xZZ/1000001", field: "params.address" },
  // Edition ids and serials.
  { name: "edition id past int8", path: `/api/collections/{collection}/editions/${PAST_INT8}`, field: "params.editionId" },
  { name: "edition tokens of an edition id past int8", path: `/api/collections/{collection}/editions/${PAST_INT8}/tokens`, field: "params.editionId" },
  { name: "edition tokens of the largest int8 edition id is merely unknown", path: `/api/collections/{collection}/editions/${INT8_MAX}/tokens`, status: 404 },
  { name: "verify an edition id past int8", method: "POST", path: `/api/collections/{collection}/editions/${PAST_INT8}/verify`, field: "params.editionId" },
  { name: "bundle of an edition id past int8", path: `/api/collections/{collection}/editions/${PAST_INT8}/bundle.car`, field: "params.editionId" },
  { name: "bundle of edition zero", path: "/api/collections/{collection}/editions/0/bundle.car", field: "params.editionId" },
  { name: "mint into an edition id past int8", method: "POST", auth: "issuer", path: `/api/collections/{collection}/editions/${PAST_INT8}/mint`, headers: { "idempotency-key": "bad-input-1" }, body: { to: "0x000000000000000000000000000000000000dEaD", quantity: 1 }, field: "params.editionId" },
  { name: "freeze an edition id past int8", method: "POST", auth: "issuer", path: `/api/collections/{collection}/editions/${PAST_INT8}/freeze`, field: "params.editionId" },
  { name: "search for a serial past a serial's range", path: "/api/search?q=%23999999999", field: "q" },
  { name: "search for a token id past int8", path: `/api/search?q=${PAST_INT8}`, field: "q" },
  { name: "search for a nineteen-digit token id past int8", path: "/api/search?q=9999999999999999999", field: "q" },
  { name: "search for a serial of a max supply past the edition bound", path: "/api/search?q=42%2F99999999", field: "q" },
  { name: "search with an empty query", path: "/api/search?q=", field: "query.q" },
  { name: "search with no query", path: "/api/search", field: "query.q" },
  { name: "search with two queries", path: "/api/search?q=1&q=2", field: "query.q" },
  { name: "search with a query object", path: "/api/search?q[a]=1", field: "query.q" },
  { name: "search with a query too long", path: `/api/search?q=${"1".repeat(500)}`, field: "query.q" },
  // Cursors: garbage, forged and duplicated.
  { name: "owner tokens with a garbage cursor", path: "/api/owners/{collection}/tokens?cursor=!!!", field: "cursor" },
  { name: "owner tokens with a forged cursor whose token id is not a number", path: `/api/owners/{collection}/tokens?cursor=${cursorOf("0xabc:zzz")}`, field: "cursor" },
  { name: "owner tokens with a forged cursor past int8", path: `/api/owners/{collection}/tokens?cursor=${cursorOf(`0xabc:${TWENTY_DIGITS}`)}`, field: "cursor" },
  { name: "owner tokens with a forged cursor of a negative id", path: `/api/owners/{collection}/tokens?cursor=${cursorOf("0xabc:-5")}`, field: "cursor" },
  { name: "owner tokens with two cursors", path: "/api/owners/{collection}/tokens?cursor=a&cursor=b", field: "query.cursor" },
  { name: "owner tokens with a limit that is not a number", path: "/api/owners/{collection}/tokens?limit=abc", field: "query.limit" },
  { name: "owner tokens with two limits", path: "/api/owners/{collection}/tokens?limit=1&limit=2", field: "query.limit" },
  { name: "owner tokens with a limit past the page bound", path: `/api/owners/{collection}/tokens?limit=${TWENTY_DIGITS}`, field: "query.limit" },
  { name: "edition tokens with a forged cursor past int8", path: `/api/collections/{collection}/editions/1/tokens?cursor=${cursorOf(TWENTY_DIGITS)}`, field: "cursor" },
  { name: "edition tokens with a forged cursor that is a word", path: `/api/collections/{collection}/editions/1/tokens?cursor=${cursorOf("zz")}`, field: "cursor" },
  // Ids that are UUIDs.
  { name: "a mint job id that is not a UUID", auth: "issuer", path: "/api/jobs/42", field: "params.jobId" },
  { name: "a verification job id that is not a UUID", path: "/api/verification-jobs/42", field: "params.jobId" },
  { name: "a verification job id that is unknown", path: "/api/verification-jobs/00000000-0000-4000-8000-000000000000", status: 404 },
  { name: "revoke a key id that is not a UUID", method: "DELETE", auth: "admin", path: "/api/keys/x", field: "params.keyId" },
  { name: "keys of an issuer id that is not a UUID", method: "POST", auth: "admin", path: "/api/issuers/x/keys", body: {}, field: "params.issuerId" },
  // JSON bodies of the wrong types.
  { name: "an issuer body that is an array", method: "POST", auth: "admin", path: "/api/issuers", body: [], field: "body" },
  { name: "an issuer body that is a string", method: "POST", auth: "admin", path: "/api/issuers", rawBody: '"name"', field: "body" },
  { name: "an issuer name that is a number", method: "POST", auth: "admin", path: "/api/issuers", body: { name: 5 }, field: "body.name" },
  { name: "an issuer name that is an object", method: "POST", auth: "admin", path: "/api/issuers", body: { name: { $gt: "" } }, field: "body.name" },
  { name: "an issuer body that is not JSON", method: "POST", auth: "admin", path: "/api/issuers", rawBody: "{name:", field: "body" },
  { name: "a key label that is an array", method: "POST", auth: "admin", path: "/api/issuers/00000000-0000-4000-8000-000000000000/keys", body: { label: ["a"] }, field: "body.label" },
  { name: "a collection name that is an array", method: "POST", auth: "issuer", path: "/api/collections", body: { name: ["x"], symbol: "X" }, field: "body.name" },
  { name: "a collection body that is null", method: "POST", auth: "issuer", path: "/api/collections", rawBody: "null", field: "body" },
  { name: "a mint quantity that is a string", method: "POST", auth: "issuer", path: "/api/collections/{collection}/editions/1/mint", headers: { "idempotency-key": "bad-input-2" }, body: { to: "0x000000000000000000000000000000000000dEaD", quantity: "3" }, field: "body" },
  { name: "a mint quantity past int8", method: "POST", auth: "issuer", path: "/api/collections/{collection}/editions/1/mint", headers: { "idempotency-key": "bad-input-3" }, body: { to: "0x000000000000000000000000000000000000dEaD", quantity: 1e30 }, field: "body" },
  { name: "a mint recipient that is a number", method: "POST", auth: "issuer", path: "/api/collections/{collection}/editions/1/mint", headers: { "idempotency-key": "bad-input-4" }, body: { to: 5, quantity: 1 }, field: "body" },
  { name: "a voucher quantity that is fractional", method: "POST", auth: "issuer", path: "/api/collections/{collection}/editions/1/vouchers", body: { quantity: 1.5 }, field: "body" },
  // Gateway: CIDs by codec and hash, garbage, and paths.
  { name: "gateway: garbage instead of a CID", path: "/ipfs/not-a-cid", field: "params.cid" },
  { name: "gateway: a CID far too long", path: `/ipfs/b${"a".repeat(5000)}`, field: "params.cid" },
  { name: "gateway: an identity-hash CID (bytes in the URL)", path: "/ipfs/{identity}", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: an identity-hash CID as a raw block", path: "/ipfs/{identity}?format=raw", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: an identity-hash CID as a CAR", path: "/ipfs/{identity}?format=car", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: a sha2-512 CID", path: "/ipfs/{sha512}", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: a sha2-512 CID as a raw block", path: "/ipfs/{sha512}?format=raw", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: a dag-cbor CID", path: "/ipfs/{dagCbor}", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: a codec nothing decodes", path: "/ipfs/{unknownCodec}/a/b", field: "params.cid", code: "CID_NOT_SERVED" },
  { name: "gateway: a path under a raw block", path: "/ipfs/{absentRaw}/x.json", status: 404 },
  { name: "gateway: a path with a broken percent-escape", path: "/ipfs/{absentRaw}/%E0%A4%A", field: "path" },
  { name: "gateway: a CID with a broken percent-escape", path: "/ipfs/%E0%A4%A", field: "path" },
  { name: "gateway: two formats", path: "/ipfs/{absentRaw}?format=raw&format=car", field: "query.format" },
  { name: "gateway: an unknown format", path: "/ipfs/{absentRaw}?format=tar", field: "query.format" },
  { name: "gateway: an absent block", path: "/ipfs/{absentRaw}?format=raw", status: 404 },
  { name: "gateway: a range past any size", path: "/ipfs/{media}", headers: { range: `bytes=${"9".repeat(400)}-` }, status: 416 },
  { name: "gateway: a suffix range past any size", path: "/ipfs/{media}", headers: { range: `bytes=-${"9".repeat(400)}` }, status: 206 },
  { name: "gateway: a path climbing out of its directory", path: "/ipfs/{metadata}/..%2F..%2Fetc%2Fpasswd", status: 404 },
  { name: "gateway: a very long path", path: `/ipfs/{metadata}/${"a".repeat(8_000)}.json`, status: 404 },
  { name: "gateway: a path with a NUL", path: "/ipfs/{metadata}/1%00.json", status: 404 },
  { name: "gateway: a dag-cbor block asked for raw is merely absent", path: "/ipfs/{dagCbor}?format=raw", status: 404 },
  // Text the database cannot hold, bodies nested past reason, and other headers.
  { name: "an issuer name with a NUL", method: "POST", auth: "admin", path: "/api/issuers", body: { name: "Dun\u0000huang" }, field: "body.name" },
  { name: "a collection name with a NUL", method: "POST", auth: "issuer", path: "/api/collections", body: { name: "Dun\u0000huang", symbol: "DH" }, field: "body.name" },
  { name: "a key label with a NUL", method: "POST", auth: "admin", path: "/api/issuers/{issuerId}/keys", body: { label: "a\u0000" }, field: "body.label" },
  { name: "a NUL in a key of a nested body", method: "POST", auth: "admin", path: "/api/issuers", rawBody: '{"name":"x","extra":{"a\\u0000":1}}', field: "body.extra" },
  { name: "a search query with a NUL", path: "/api/search?q=1%00", field: "q" },
  { name: "a body nested 100,000 deep", method: "POST", auth: "admin", path: "/api/issuers", rawBody: `${"[".repeat(100_000)}${"]".repeat(100_000)}`, field: "body" },
  { name: "a body sent as text", method: "POST", auth: "admin", path: "/api/issuers", headers: { "content-type": "text/plain" }, rawBody: "name=x" },
  { name: "a JSON body in a charset we do not read", method: "POST", auth: "admin", path: "/api/issuers", headers: { "content-type": "application/json; charset=latin-9" }, rawBody: '{"name":"x"}', status: 415 },
  { name: "a JSON body in an encoding we do not read", method: "POST", auth: "admin", path: "/api/issuers", headers: { "content-encoding": "br-unknown" }, rawBody: '{"name":"x"}', status: 415 },
  { name: "a gzip body that is not gzip", method: "POST", auth: "admin", path: "/api/issuers", headers: { "content-encoding": "gzip" }, rawBody: '{"name":"x"}', field: "body" },
  { name: "an idempotency key past its bound", method: "POST", auth: "issuer", path: "/api/collections/{collection}/editions/1/mint", headers: { "idempotency-key": "k".repeat(300) }, body: { to: "0x000000000000000000000000000000000000dEaD", quantity: 1 }, field: "headers.idempotency-key" },
  { name: "an edition id with a leading zero", path: "/api/collections/{collection}/editions/01", field: "params.editionId" },
  { name: "a token id of serial zero is merely unknown", path: "/api/tokens/{collection}/1000000", status: 404 },
  { name: "owner tokens with a zero limit", path: "/api/owners/{collection}/tokens?limit=0", field: "query.limit" },
  { name: "owner tokens with a fractional limit", path: "/api/owners/{collection}/tokens?limit=1.5", field: "query.limit" },
  { name: "search for serial zero", path: "/api/search?q=%230", field: "q" },
];

function fill(text: string): string {
  return text.replace(/\{(\w+)\}/g, (_whole, name: string) => (name === "collection" ? collection : name === "issuerId" ? issuerId : cids[name as keyof typeof cids]));
}

describe("no input in the bad-input suite gets a 500; every refusal names its field", () => {
  test.each(cases.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
    const key = entry.auth === "admin" ? adminKey : entry.auth === "issuer" ? issuerKey : undefined;
    const response = await fetch(`${platform.server.url}${fill(entry.path)}`, {
      method: entry.method ?? "GET",
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(entry.body !== undefined || entry.rawBody !== undefined ? { "content-type": "application/json" } : {}),
        ...entry.headers,
      },
      ...(entry.body !== undefined || entry.rawBody !== undefined ? { body: entry.rawBody ?? JSON.stringify(entry.body) } : {}),
    });
    const text = await response.text();
    const summary = `${response.status} ${text.slice(0, 300)}`;
    if (entry.status !== undefined) {
      expect(response.status, summary).toBe(entry.status);
    } else {
      expect(response.status, summary).toBeGreaterThanOrEqual(400);
      expect(response.status, summary).toBeLessThan(500);
    }
    if (entry.field !== undefined) {
      const body = JSON.parse(text) as ApiErrorBody;
      expect(String(body.error.details.field), summary).toContain(entry.field);
    }
    if (entry.code !== undefined) expect((JSON.parse(text) as ApiErrorBody).error.code, summary).toBe(entry.code);
  });
});
