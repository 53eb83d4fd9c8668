import type { Address } from "viem";
import type { CheckResult } from "vermilion-verify/report.js";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { VermilionDeployment } from "../support/deployVermilion.js";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createCarContentSource } from "vermilion-verify/content/createCarContentSource.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { verifyToken } from "vermilion-verify/verifyToken.js";
import { TransferPolicy, deployVermilion } from "../support/deployVermilion.js";
import { startAnvil } from "../support/startAnvil.js";

let anvil: StartAnvilReturnType;
let vermilion: VermilionDeployment;
let collection: Address;

beforeAll(async () => {
  anvil = await startAnvil();
  vermilion = await deployVermilion(anvil.rpcUrl);
  collection = await vermilion.createCollection("Policies");
  const holder = vermilion.accounts[2]!;
  const free = await vermilion.createEdition(collection, { maxSupply: 2 });
  const held = await vermilion.createEdition(collection, { maxSupply: 5, transferPolicy: TransferPolicy.Hold, holdSeconds: 1_000_000 });
  const soulbound = await vermilion.createEdition(collection, { maxSupply: 3, transferPolicy: TransferPolicy.Soulbound });
  await vermilion.mint(collection, free, holder, 2);
  await vermilion.mint(collection, held, holder, 1);
  await vermilion.mint(collection, soulbound, holder, 1);
  await vermilion.execute(collection, vermilion.accounts[1]!, "closeEdition", [soulbound]);
});
afterAll(async () => {
  await anvil?.stop();
});

async function editionFacts(tokenId: bigint): Promise<CheckResult> {
  const chain = await createRpcChainReader(createPublicClient({ transport: http(anvil.rpcUrl) }));
  // No content source: only the chain checks matter here (the test editions' CIDs are placeholders).
  const session = createVerificationSession({ chain, content: createCarContentSource("empty", new Map()), factory: vermilion.factoryAddress }, collection);
  const report = await verifyToken(session, tokenId);
  return report.checks.find((check) => check.name === "edition.facts")!;
}

describe("edition.facts", () => {
  test("a full Free edition is sealed by its EditionSealed event and its tokens are unlocked", async () => {
    const facts = await editionFacts(1_000_002n);
    expect(facts.status, JSON.stringify(facts)).toBe("pass");
    expect(facts.evidence).toMatchObject({ sealed: true, mintedCount: "2", maxSupply: "2", transferPolicy: "free", locked: false, expectedLocked: false });
    expect(facts.evidence.sealedEvents).toHaveLength(1);
  });

  test("a Hold token is locked until acquisition plus the hold; a closed Soulbound edition is sealed early and locked forever", async () => {
    const held = await editionFacts(2_000_001n);
    expect(held.status, JSON.stringify(held)).toBe("pass");
    expect(held.evidence).toMatchObject({ transferPolicy: "hold", holdSeconds: "1000000", locked: true, expectedLocked: true, sealed: false });
    const soulbound = await editionFacts(3_000_001n);
    expect(soulbound.status, JSON.stringify(soulbound)).toBe("pass");
    expect(soulbound.evidence).toMatchObject({ transferPolicy: "soulbound", locked: true, sealed: true, mintedCount: "1", maxSupply: "3" });
  });

  test("a serial that was never minted fails with SERIAL_NOT_MINTED", async () => {
    const facts = await editionFacts(2_000_003n);
    expect(facts.failure?.code).toBe("SERIAL_NOT_MINTED");
  });
});
