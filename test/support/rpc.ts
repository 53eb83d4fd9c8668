/** A raw JSON-RPC call, for node methods clients do not type (`evm_snapshot`, `anvil_mine`). */
export async function rpc<Result = unknown>(rpcUrl: string, method: string, params: readonly unknown[] = []): Promise<Result> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: Result; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as Result;
}
