import type { Address } from "viem";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { ClaimCodeListItem, ClaimView } from "../../server/views/claimView.js";
import type { ClusterInstance } from "./clusterSupport.js";


import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { createEditionOnChain, createIssuerWithCollection } from "../support/platformFixture.js";
import { startAnvil } from "../support/startAnvil.js";
import { ADMIN_API_KEY, createClusterDatabase, startInstance, stopCluster, waitUntil } from "./clusterSupport.js";

/*
 * Two instances on one PostgreSQL and one chain, each running its claim dispatcher: codes claimed through
 * both at once are each put in exactly one airdrop (FOR UPDATE SKIP LOCKED), so every code mints once.
 */

let anvil: StartAnvilReturnType;
let database: { url: string; drop: () => Promise<void> };
const dirs: string[] = [];
const instances: ClusterInstance[] = [];

beforeAll(async () => {
  anvil = await startAnvil();
  database = await createClusterDatabase();
});

afterAll(async () => {
  await stopCluster({ instances, anvil, database, dirs });
});

test("codes claimed through two instances at once are dispatched by both dispatchers without overlap: 300 codes, 300 tokens, each once", async () => {
  const shared = { databaseUrl: database.url, rpcUrl: anvil.rpcUrl };
  const [a, b] = await Promise.all([startInstance("claims-a", shared, dirs), startInstance("claims-b", shared, dirs)]);
  instances.push(a, b);
  const issuer = await createIssuerWithCollection(a.call, ADMIN_API_KEY, "Nanjing Museum");
  const editionId = await createEditionOnChain(anvil.rpcUrl, issuer.collection, 300);
  const batch = await a.call<{ batchId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/claim-batches`, {
    key: issuer.apiKey,
    body: { count: 300, validForSeconds: 3600 },
  });
  expect(batch.status).toBe(201);
  // Instance b derives the same codes from the same mnemonic.
  const [fromA, fromB] = await Promise.all(
    [a, b].map((instance) => instance.call<{ codes: ClaimCodeListItem[] }>("GET", `/api/claim-batches/${batch.body.batchId}/codes`, { key: issuer.apiKey })),
  );
  expect(fromB!.body.codes.map((item) => item.code)).toEqual(fromA!.body.codes.map((item) => item.code));
  const codes = fromA!.body.codes.map((item) => item.code);
  const recipients = codes.map((_, n) => getAddress(`0x${keccak256(toHex(`cluster-claim-${n}`)).slice(-40)}`).toLowerCase());

  // Even codes through a, odd through b, all at once: each instance's dispatcher is woken by its own claims.
  const answers = await Promise.all(codes.map((code, n) => (n % 2 === 0 ? a : b).call("POST", `/api/claims/${code}`, { body: { to: recipients[n] } })));
  expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);

  let claims: ClaimView[] = [];
  await waitUntil(
    "every code minted",
    async () => {
      claims = await Promise.all(codes.map(async (code) => (await a.call<ClaimView>("GET", `/api/claims/${code}`)).body));
      return claims.every((claim) => claim.state === "minted");
    },
    120_000,
  );
  const client = createPublicClient({ transport: http(anvil.rpcUrl) });
  const edition = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] });
  expect(edition.mintedCount).toBe(300n);
  expect(new Set(claims.map((claim) => claim.tokenId)).size).toBe(300);
  const owners = await Promise.all(
    claims.map((claim) => client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(claim.tokenId!)] })),
  );
  expect(owners.map((owner) => owner.toLowerCase())).toEqual(recipients);
  expect(claims.map((claim) => claim.recipient)).toEqual(recipients as Address[]);
}, 300_000);
