import type { ChainReader, RecordedAnswer } from "../chainReader.js";
import type { CheckResult } from "../report.js";

import { canonicalJson } from "../shared/canonicalJson.js";
import { failed, passed } from "../report.js";

const NAME = "bundle.chainData";

/**
 * Asks a live chain every question a bundle recorded, at the bundle's pinned block, and compares the
 * answers: the bundle's chain data is only as good as this cross-check.
 */
export async function crossCheckBundle(
  live: ChainReader,
  bundlePinned: { number: string; hash: string },
  answers: readonly RecordedAnswer[],
  /** A version 3 bundle: its other answers are proven from the pinned block, so the hash compare covers them. */
  proven = false,
): Promise<CheckResult> {
  const evidence: Record<string, unknown> = { answersCompared: answers.length, pinnedBlock: bundlePinned, ...(proven ? { otherAnswers: "proven from the pinned block" } : {}) };
  if (live.pinnedBlock.hash !== bundlePinned.hash) {
    return failed(NAME, "BUNDLE_CHAIN_MISMATCH", `Block ${bundlePinned.number} is ${live.pinnedBlock.hash} on the live chain, not ${bundlePinned.hash} as the bundle says.`, evidence);
  }
  const differing: string[] = [];
  for (const answer of answers) {
    const params = answer.params as unknown[];
    let result: unknown;
    switch (answer.method) {
      case "getChainId":
        result = await live.getChainId();
        break;
      case "getBlock":
        result = await live.getBlock(BigInt(params[0] as string));
        break;
      case "getCode":
        result = await live.getCode(params[0] as `0x${string}`);
        break;
      case "call":
        result = await live.call(params[0] as `0x${string}`, params[1] as `0x${string}`);
        break;
      case "getLogs":
        result = await live.getLogs({ address: params[0] as `0x${string}`, topics: params[1] as Array<`0x${string}` | null>, fromBlock: BigInt(params[2] as string) });
        break;
      case "getReceipt":
        result = await live.getReceipt(params[0] as `0x${string}`);
        break;
      case "getTransaction":
        result = await live.getTransaction(params[0] as `0x${string}`);
        break;
      default:
        differing.push(`unknown question ${answer.method}`);
        continue;
    }
    if (canonicalJson(result) !== canonicalJson(answer.result)) differing.push(`${answer.method} ${JSON.stringify(params).slice(0, 120)}`);
  }
  if (differing.length > 0) {
    evidence.differing = differing;
    return failed(NAME, "BUNDLE_CHAIN_MISMATCH", `${differing.length} of the bundle's ${answers.length} chain answers differ from the live chain (first: ${differing[0]}).`, evidence);
  }
  if (proven) {
    return passed(NAME, `Block ${bundlePinned.number} is the live chain's, so every answer the bundle proves from it is the chain's; its ${answers.length} unproven answers equal the live chain's too.`, evidence);
  }
  return passed(NAME, `All ${answers.length} chain answers in the bundle equal the live chain's at block ${bundlePinned.number}.`, evidence);
}
