import type { StartAnvilReturnType } from "../startAnvil.js";
import type { FeePolicy } from "../../config/feePolicySettings.js";

import { createPublicClient, http, parseGwei } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startAnvil } from "../startAnvil.js";
import { DEFAULT_FEE_POLICY } from "../../config/feePolicySettings.js";
import { quoteFees } from "./quoteFees.js";
import { resolveFeeMode } from "./resolveFeeMode.js";

const gwei = (value: string) => parseGwei(value);
const policy = (overrides: Partial<FeePolicy>): FeePolicy => ({ ...DEFAULT_FEE_POLICY, ...overrides });

let london: StartAnvilReturnType;
let berlin: StartAnvilReturnType;
let zeroFee: StartAnvilReturnType;
const clientOf = (anvil: StartAnvilReturnType) =>
  createPublicClient({ chain: { ...foundry, rpcUrls: { default: { http: [anvil.rpcUrl] } } }, transport: http(anvil.rpcUrl) });

/** Mines one block whose base fee is `baseFeeWei`: the latest block then asks exactly that. */
async function setBaseFee(anvil: StartAnvilReturnType, baseFeeWei: bigint): Promise<void> {
  const client = clientOf(anvil);
  await client.request({ method: "anvil_setNextBlockBaseFeePerGas" as never, params: [`0x${baseFeeWei.toString(16)}`] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
}

beforeAll(async () => {
  [london, berlin, zeroFee] = await Promise.all([
    startAnvil(),
    startAnvil({ extraArgs: ["--hardfork", "berlin"] }),
    startAnvil({ extraArgs: ["--base-fee", "0", "--gas-price", "0"] }),
  ]);
});

afterAll(async () => {
  await Promise.all([london?.stop(), berlin?.stop(), zeroFee?.stop()]);
});

describe("quoteFees", () => {
  test("eip1559: max fee is the latest base fee × 1.2 plus the priority fee, each within its cap", async () => {
    await setBaseFee(london, gwei("10"));
    const publicClient = clientOf(london);
    const priority = await publicClient.estimateMaxPriorityFeePerGas();
    expect(await quoteFees({ publicClient }, policy({ mode: "eip1559" }))).toEqual({
      type: "eip1559",
      maxFeePerGas: gwei("12") + priority,
      maxPriorityFeePerGas: priority,
    });
    expect(await quoteFees({ publicClient }, policy({ mode: "eip1559", maxFeePerGasWei: gwei("11"), maxPriorityFeePerGasWei: 7n }))).toEqual({
      type: "eip1559",
      maxFeePerGas: gwei("11"),
      maxPriorityFeePerGas: 7n,
    });
  });

  test("eip1559: a cap below the latest base fee is refused with FEE_CAP_BELOW_MARKET, naming market and cap", async () => {
    await setBaseFee(london, gwei("50"));
    await expect(quoteFees({ publicClient: clientOf(london) }, policy({ mode: "eip1559", maxFeePerGasWei: gwei("49") }))).rejects.toMatchObject({
      code: "FEE_CAP_BELOW_MARKET",
      details: { fee: "maxFeePerGas", marketWei: gwei("50").toString(), capWei: gwei("49").toString(), variable: "MAX_FEE_PER_GAS_GWEI" },
    });
  });

  test("legacy: the node's gas price × 1.2 within the cap, refused when the gas price is above the cap", async () => {
    await setBaseFee(london, gwei("10"));
    const publicClient = clientOf(london);
    const gasPrice = await publicClient.getGasPrice();
    expect(await quoteFees({ publicClient }, policy({ mode: "legacy" }))).toEqual({ type: "legacy", gasPrice: (gasPrice * 120n) / 100n });
    expect(await quoteFees({ publicClient }, policy({ mode: "legacy", maxFeePerGasWei: gasPrice }))).toEqual({ type: "legacy", gasPrice });
    await expect(quoteFees({ publicClient }, policy({ mode: "legacy", maxFeePerGasWei: gasPrice - 1n }))).rejects.toMatchObject({
      code: "FEE_CAP_BELOW_MARKET",
      details: { fee: "gasPrice", marketWei: gasPrice.toString(), capWei: (gasPrice - 1n).toString() },
    });
  });

  test("auto follows the chain: legacy on a chain without base fee; zero signs at gas price 0", async () => {
    expect(await quoteFees({ publicClient: clientOf(berlin) }, policy({}))).toMatchObject({ type: "legacy" });
    expect(await quoteFees({ publicClient: clientOf(london) }, policy({}))).toMatchObject({ type: "eip1559" });
    expect(await quoteFees({ publicClient: clientOf(zeroFee) }, policy({ mode: "zero" }))).toEqual({ type: "legacy", gasPrice: 0n });
  });
});

describe("resolveFeeMode", () => {
  test("auto is EIP-1559 where the latest block has a base fee and legacy where it has none", async () => {
    expect((await resolveFeeMode({ publicClient: clientOf(london) }, policy({}))).mode).toBe("eip1559");
    expect((await resolveFeeMode({ publicClient: clientOf(berlin) }, policy({}))).mode).toBe("legacy");
    expect((await resolveFeeMode({ publicClient: clientOf(zeroFee) }, policy({ mode: "zero" }))).mode).toBe("zero");
    expect((await resolveFeeMode({ publicClient: clientOf(london) }, policy({ mode: "legacy" }))).mode).toBe("legacy");
  });

  test("refuses what the chain contradicts, naming the variable", async () => {
    await expect(resolveFeeMode({ publicClient: clientOf(berlin) }, policy({ mode: "eip1559" }))).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      problems: [{ field: "FEE_MODE" }],
    });
    await setBaseFee(london, gwei("1"));
    await expect(resolveFeeMode({ publicClient: clientOf(london) }, policy({ mode: "zero" }))).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      problems: [{ field: "FEE_MODE" }],
    });
    await expect(resolveFeeMode({ publicClient: clientOf(berlin) }, policy({ maxPriorityFeePerGasWei: 1n }))).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      problems: [{ field: "MAX_PRIORITY_FEE_PER_GAS_GWEI" }],
    });
  });
});
