import type { ChainBlock, ChainReader, RecordedAnswer } from "./chainReader.js";

import { VerifierError } from "./verifierError.js";
import { answerKey } from "./chainReader.js";

/**
 * A chain reader that answers only from recorded answers (a provenance bundle's). A question the
 * recording never asked is BUNDLE_INCOMPLETE: the bundle cannot support that verification.
 */
export function createReplayChainReader(pinnedBlock: ChainBlock, answers: readonly RecordedAnswer[]): ChainReader {
  const byKey = new Map(answers.map((answer) => [answerKey(answer.method, answer.params), answer.result]));
  const answer = <T>(method: string, parameters: unknown): Promise<T> => {
    const key = answerKey(method, parameters);
    if (!byKey.has(key)) {
      return Promise.reject(new VerifierError("BUNDLE_INCOMPLETE", { question: `${method} ${JSON.stringify(parameters)}`.slice(0, 300) }));
    }
    return Promise.resolve(byKey.get(key) as T);
  };
  return {
    pinnedBlock,
    getChainId: () => answer("getChainId", []),
    getBlock: (number) => answer("getBlock", [number.toString()]),
    getCode: (address) => answer("getCode", [address.toLowerCase()]),
    call: (to, data) => answer("call", [to.toLowerCase(), data.toLowerCase()]),
    getLogs: (parameters) => answer("getLogs", [parameters.address.toLowerCase(), parameters.topics, parameters.fromBlock.toString()]),
    getReceipt: (hash) => answer("getReceipt", [hash.toLowerCase()]),
    getTransaction: (hash) => answer("getTransaction", [hash.toLowerCase()]),
  };
}
