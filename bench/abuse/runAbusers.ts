/**
 * The abusive clients of `bench:abuse`, in a process of their own: attackers are other machines, and
 * in the benchmark's process their 210 MiB uploads stalled its event loop for up to 2 s, which read as
 * the honest readers' latency. Takes its target as JSON in argv[2]; prints `ABUSERS <json>` at the end.
 */
import type { AbuserFigures } from "./abuseResults.js";

import { randomBytes } from "node:crypto";

import { samplePng } from "../../test/storage/mediaSamples.js";
import { editionForm, pixelBombPng } from "./abuseRequests.js";

interface Target {
  url: string;
  collection: string;
  editionId: string;
  mediaCid: string;
  tokenIds: string[];
  careless: { collection: string; apiKey: string };
  seconds: number;
}

const { url, collection, editionId, mediaCid, tokenIds, careless, seconds } = JSON.parse(process.argv[2]!) as Target;
const randomToken = () => tokenIds[Math.floor(Math.random() * tokenIds.length)]!;

/** An abuser: `loops` sequential request loops until the phase ends, counting the answers. */
const runAbuser = async (name: string, loops: number, request: (loop: number) => Promise<Response>, endAt: number): Promise<AbuserFigures> => {
  const figures: AbuserFigures = { name, requests: 0, answers: {} };
  // BENCH_ABUSE_ONLY=<word,...> runs only the abusers whose name contains one (to attribute the readers' delay).
  if (process.env.BENCH_ABUSE_ONLY && !process.env.BENCH_ABUSE_ONLY.split(",").some((word) => name.includes(word))) return figures;
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      while (performance.now() < endAt) {
        figures.requests++;
        let answer: string;
        try {
          const response = await request(loop);
          await response.arrayBuffer();
          answer = String(response.status);
        } catch {
          answer = "error";
        }
        figures.answers[answer] = (figures.answers[answer] ?? 0) + 1;
      }
    }),
  );
  return figures;
};

const museum = { collection };
const edition = { editionId, mediaCid };
const endAt = performance.now() + seconds * 1000;
// Made once: a Blob is immutable, so every request shares its bytes instead of copying 210 MiB.
const oversizeBytes = new Uint8Array(210 * 1024 * 1024);
oversizeBytes.set(samplePng(8, 8));
const oversize = new Blob([oversizeBytes]);
const bomb = new Blob([pixelBombPng(100_000)]);
const get = (route: string, client: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${route}`, { headers: { "x-forwarded-for": client, ...headers }, signal: AbortSignal.timeout(30_000) });
const abusers = await Promise.all([
    runAbuser("rotating made-up API keys (one address, 8 loops)", 8, () =>
      get(`/api/tokens/${museum.collection}/${randomToken()}`, "10.66.0.1", { authorization: `Bearer ${randomBytes(16).toString("hex")}` }), endAt),
    runAbuser("bundle flood (4 addresses, 8 loops)", 8, (loop) =>
      get(`/api/collections/${museum.collection}/editions/${edition.editionId}/bundle.car`, `10.67.0.${(loop % 4) + 1}`), endAt),
    runAbuser("token verification flood (4 addresses, 8 loops)", 8, (loop) =>
      get(`/api/tokens/${museum.collection}/${randomToken()}/verify`, `10.68.0.${(loop % 4) + 1}`), endAt),
    runAbuser("edition verification jobs (2 addresses, 2 loops)", 2, (loop) =>
      fetch(`${url}/api/collections/${museum.collection}/editions/${edition.editionId}/verify`, {
        method: "POST",
        headers: { "x-forwarded-for": `10.69.0.${loop + 1}` },
        signal: AbortSignal.timeout(30_000),
      }), endAt),
    runAbuser("gateway flood (one address, 4 loops)", 4, () => get(`/ipfs/${edition.mediaCid}`, "10.70.0.1"), endAt),
    runAbuser("upload bombs: pixel bomb and 210 MiB body (careless issuer's key, 2 loops)", 2, (loop) =>
      fetch(`${url}/api/collections/${careless.collection}/editions`, {
        method: "POST",
        headers: { "x-forwarded-for": "10.71.0.1", authorization: `Bearer ${careless.apiKey}` },
        body: editionForm({ name: "Bomb", description: "", maxSupply: "10" }, loop === 0 ? bomb : oversize),
        signal: AbortSignal.timeout(30_000),
      }), endAt),
  ]);
console.log(`ABUSERS ${JSON.stringify(abusers)}`);
