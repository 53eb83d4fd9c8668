import { HttpRequestError, LimitExceededRpcError, RpcRequestError, InvalidParamsRpcError, ResponseBodyTooLargeError } from "viem";
import { describe, expect, test } from "vitest";

import { isRangeRefusal } from "./isRangeRefusal.js";

function rpcError(code: number, message: string) {
  return new RpcRequestError({ body: {}, error: { code, message }, url: "http://127.0.0.1" });
}

describe("isRangeRefusal", () => {
  test.each([
    ["Infura's result cap", new LimitExceededRpcError(rpcError(-32005, "query returned more than 10000 results"))],
    ["a block range cap", new InvalidParamsRpcError(rpcError(-32602, "block range is too wide"))],
    ["Alchemy's response size", rpcError(-32602, "Log response size exceeded. this block range should work: [0x1, 0x2]")],
    ["HTTP 413", new HttpRequestError({ url: "http://127.0.0.1", status: 413 })],
    ["an answer over the client's size limit", new ResponseBodyTooLargeError({ maxSize: 10_485_760, size: 19_078_652 })],
  ])("reads %s as a refusal", (_name, error) => {
    expect(isRangeRefusal(error)).toBe(true);
  });

  test.each([
    ["a rate limit", new HttpRequestError({ url: "http://127.0.0.1", status: 429, details: "limit exceeded" })],
    ["a server error", new HttpRequestError({ url: "http://127.0.0.1", status: 500 })],
    ["an unrelated RPC error", rpcError(-32000, "header not found")],
    ["a plain error", new Error("block range too wide")],
  ])("does not read %s as a refusal", (_name, error) => {
    expect(isRangeRefusal(error)).toBe(false);
  });
});
