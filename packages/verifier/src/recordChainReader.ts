import type { ChainReader, RecordedAnswer } from "./chainReader.js";

import { answerKey } from "./chainReader.js";

export interface RecordChainReaderReturnType {
  reader: ChainReader;
  /** Every distinct question asked so far with its answer, in a stable order. */
  answers(): RecordedAnswer[];
}

/**
 * Wraps a reader and keeps every answer it gives, so a verification run can be replayed later without
 * the chain (the provenance bundle stores them). Bigints in parameters are written as decimal strings.
 */
export function recordChainReader(inner: ChainReader): RecordChainReaderReturnType {
  const recorded = new Map<string, RecordedAnswer>();
  const record = async <T>(method: string, parameters: unknown, answer: Promise<T>): Promise<T> => {
    const result = await answer;
    recorded.set(answerKey(method, parameters), { method, params: parameters, result });
    return result;
  };
  return {
    reader: {
      pinnedBlock: inner.pinnedBlock,
      getChainId: () => record("getChainId", [], inner.getChainId()),
      getBlock: (number) => record("getBlock", [number.toString()], inner.getBlock(number)),
      getCode: (address) => record("getCode", [address.toLowerCase()], inner.getCode(address)),
      call: (to, data) => record("call", [to.toLowerCase(), data.toLowerCase()], inner.call(to, data)),
      getLogs: (parameters) =>
        record(
          "getLogs",
          [parameters.address.toLowerCase(), parameters.topics, parameters.fromBlock.toString()],
          inner.getLogs(parameters),
        ),
      getReceipt: (hash) => record("getReceipt", [hash.toLowerCase()], inner.getReceipt(hash)),
      getTransaction: (hash) => record("getTransaction", [hash.toLowerCase()], inner.getTransaction(hash)),
    },
    answers: () => [...recorded.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, answer]) => answer),
  };
}
