import type { ChainReader, RecordedAnswer } from "../chainReader.js";

/** Asks `reader` the question a recorded answer answers, with the same parameters. */
export function askAgain(reader: ChainReader, answer: RecordedAnswer): Promise<unknown> {
  const params = answer.params as unknown[];
  switch (answer.method) {
    case "getChainId":
      return reader.getChainId();
    case "getBlock":
      return reader.getBlock(BigInt(params[0] as string));
    case "getCode":
      return reader.getCode(params[0] as `0x${string}`);
    case "call":
      return reader.call(params[0] as `0x${string}`, params[1] as `0x${string}`);
    case "getLogs":
      return reader.getLogs({ address: params[0] as `0x${string}`, topics: params[1] as Array<`0x${string}` | null>, fromBlock: BigInt(params[2] as string) });
    case "getReceipt":
      return reader.getReceipt(params[0] as `0x${string}`);
    case "getTransaction":
      return reader.getTransaction(params[0] as `0x${string}`);
    default:
      return Promise.reject(new Error(`unknown question ${answer.method}`));
  }
}

/** JSON with object keys sorted, so two answers compare by content whatever order their keys were built in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
