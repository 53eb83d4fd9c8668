import type { Address } from "viem";
import type { ApiClient } from "../../test/support/httpClient.js";

import { samplePng } from "../../test/storage/mediaSamples.js";

export interface CreateBenchEditionParameters {
  serverUrl: string;
  call: ApiClient;
  issuer: { collection: Address; apiKey: string };
  maxSupply: number;
  name: string;
}

/**
 * Uploads an edition (a small PNG, free transfers) through the API as the console would, and follows the
 * edition job when the edition is large enough to be built by one (past EDITION_JOB_THRESHOLD_DOCUMENTS).
 */
export async function createBenchEdition(parameters: CreateBenchEditionParameters): Promise<{ editionId: bigint; metadataCid: string }> {
  const { serverUrl, call, issuer } = parameters;
  const form = new FormData();
  form.append("name", parameters.name);
  form.append("description", "Benchmark edition");
  form.append("maxSupply", String(parameters.maxSupply));
  form.append("royaltyBps", "500");
  form.append("royaltyReceiver", issuer.collection);
  form.append("transferPolicy", "free");
  form.append("license", "CC BY 4.0");
  form.append("media", new Blob([new Uint8Array(samplePng(64, 64))]), "media.png");
  const response = await fetch(`${serverUrl}/api/collections/${issuer.collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}` },
    body: form,
  });
  const body = (await response.json()) as { editionId: string; metadataCid: string; location?: string };
  if (response.status === 202 && body.location) {
    for (;;) {
      const job = await call<{ state: string; edition: { editionId: string; metadataCid: string } | null }>("GET", body.location, { key: issuer.apiKey });
      if (job.body.state === "completed" && job.body.edition) return { editionId: BigInt(job.body.edition.editionId), metadataCid: job.body.edition.metadataCid };
      if (job.status !== 200 || job.body.state === "failed") throw new Error(`edition job: HTTP ${job.status} ${JSON.stringify(job.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  if (response.status !== 201) throw new Error(`edition creation: HTTP ${response.status} ${JSON.stringify(body)}`);
  return { editionId: BigInt(body.editionId), metadataCid: body.metadataCid };
}
