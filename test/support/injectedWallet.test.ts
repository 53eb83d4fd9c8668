import type { Browser, BrowserContext, Page } from "playwright-core";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { InjectedWallet } from "./injectedWallet.js";

import { createPublicClient, http, parseEther, recoverMessageAddress, recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { startAnvil } from "../../server/chain/startAnvil.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { launchChromium } from "./browserSupport.js";
import { installInjectedWallet } from "./injectedWallet.js";

const PAGE_URL = "http://wallet.test/";
// Not one of Anvil's unlocked accounts: a transaction from it can only have been signed by the wallet.
const account = privateKeyToAccount(generatePrivateKey());
const recipient = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[4]!).address;

let chain: StartAnvilReturnType;
let otherChain: StartAnvilReturnType;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let wallet: InjectedWallet;

/** What `window.ethereum.request` resolved to in the page, or the EIP-1193 error it threw. */
async function request(method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  return page.evaluate(
    async ([method, params]) => {
      const provider = (globalThis as unknown as { ethereum: { request: (args: { method: string; params: unknown[] }) => Promise<unknown> } }).ethereum;
      try {
        return { result: await provider.request({ method: method as string, params: params as unknown[] }) };
      } catch (error) {
        return { error: { code: (error as { code: number }).code, message: (error as Error).message } };
      }
    },
    [method, params] as const,
  );
}

/** The custody statement's shape as the console hands it to a wallet: EIP712Domain included, integers as decimal strings. */
function typedDataJson(chainId: number) {
  return {
    domain: { name: "Vermilion", version: "1", chainId: String(chainId), verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      IssuerCustodyTransfer: [
        { name: "account", type: "address" },
        { name: "keepOperatingKey", type: "bool" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "IssuerCustodyTransfer",
    message: { account: account.address, keepOperatingKey: true, deadline: "1900000000" },
  } as const;
}

beforeAll(async () => {
  [chain, otherChain] = await Promise.all([startAnvil(), startAnvil({ chainId: 1337 })]);
  await fetch(chain.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_setBalance", params: [account.address, `0x${parseEther("10").toString(16)}`] }),
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([chain?.stop(), otherChain?.stop()]);
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  // The wallet needs a page to live in; this one is the test's own, served from memory.
  await page.route(PAGE_URL, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>wallet test</title>" }));
  wallet = await installInjectedWallet(page, { account, rpcUrl: chain.rpcUrl, switchableRpcUrls: [otherChain.rpcUrl] });
  await page.goto(PAGE_URL);
});

afterEach(async () => {
  await context?.close();
});

describe("the injected EIP-1193 wallet (test/support/injectedWallet.ts), against Anvil", () => {
  test("shows no account until the page asks; eth_requestAccounts connects and emits accountsChanged", async () => {
    await page.evaluate(`window.__accounts = []; window.ethereum.on("accountsChanged", (accounts) => window.__accounts.push(accounts))`);
    expect(await request("eth_accounts")).toEqual({ result: [] });
    expect(await request("eth_requestAccounts")).toEqual({ result: [account.address] });
    expect(await request("eth_accounts")).toEqual({ result: [account.address] });
    expect(await page.evaluate("window.__accounts")).toEqual([[account.address]]);
  });

  test("forwards chain reads to Anvil: eth_chainId and eth_getBalance answer what the chain says", async () => {
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    expect(await request("eth_chainId")).toEqual({ result: "0x7a69" });
    const balance = await publicClient.getBalance({ address: account.address });
    expect(await request("eth_getBalance", [account.address, "latest"])).toEqual({ result: `0x${balance.toString(16)}` });
  });

  test("eth_signTypedData_v4 signs the JSON statement (decimal-string integers) so that viem recovers the account", async () => {
    await request("eth_requestAccounts");
    const typedData = typedDataJson(chain.chainId);
    const { result: signature } = await request("eth_signTypedData_v4", [account.address, JSON.stringify(typedData)]);
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    const recovered = await recoverTypedDataAddress({
      domain: { ...typedData.domain, chainId: BigInt(typedData.domain.chainId) },
      types: { IssuerCustodyTransfer: typedData.types.IssuerCustodyTransfer },
      primaryType: "IssuerCustodyTransfer",
      message: { ...typedData.message, deadline: BigInt(typedData.message.deadline) },
      signature: signature as `0x${string}`,
    });
    expect(recovered).toBe(account.address);
  });

  test("personal_sign signs the raw message so that viem recovers the account", async () => {
    await request("eth_requestAccounts");
    const { result: signature } = await request("personal_sign", ["0x68656c6c6f", account.address]);
    expect(await recoverMessageAddress({ message: { raw: "0x68656c6c6f" }, signature: signature as `0x${string}` })).toBe(account.address);
  });

  test("eth_sendTransaction is signed in the test process, sent raw and mined", async () => {
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    const before = await publicClient.getBalance({ address: recipient });
    await request("eth_requestAccounts");
    const { result: hash } = await request("eth_sendTransaction", [{ from: account.address, to: recipient, value: `0x${parseEther("0.25").toString(16)}` }]);
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: hash as `0x${string}` });
    expect(receipt.status).toBe("success");
    expect(receipt.from).toBe(account.address.toLowerCase());
    expect(await publicClient.getBalance({ address: recipient })).toBe(before + parseEther("0.25"));
  });

  test("a user's refusal answers EIP-1193 code 4001; signing for another account answers 4100", async () => {
    wallet.setAnswer("eth_requestAccounts", "reject");
    expect((await request("eth_requestAccounts")).error?.code).toBe(4001);
    expect(await request("eth_accounts")).toEqual({ result: [] });
    wallet.setAnswer("eth_requestAccounts", "approve");
    await request("eth_requestAccounts");

    wallet.setAnswer("eth_signTypedData_v4", "reject");
    expect((await request("eth_signTypedData_v4", [account.address, JSON.stringify(typedDataJson(chain.chainId))])).error?.code).toBe(4001);
    expect((await request("eth_signTypedData_v4", [recipient, JSON.stringify(typedDataJson(chain.chainId))])).error?.code).toBe(4100);
  });

  test("wallet_switchEthereumChain moves to a chain it knows (chainChanged, reads go there) and answers 4902 for others", async () => {
    await page.evaluate(`window.__chains = []; window.ethereum.on("chainChanged", (chainId) => window.__chains.push(chainId))`);
    expect(await request("wallet_switchEthereumChain", [{ chainId: "0x539" }])).toEqual({ result: null });
    expect(wallet.chainId()).toBe(1337);
    expect(await request("eth_chainId")).toEqual({ result: "0x539" });
    expect(await page.evaluate("window.__chains")).toEqual(["0x539"]);
    expect((await request("wallet_switchEthereumChain", [{ chainId: "0x1" }])).error?.code).toBe(4902);
    expect(wallet.requests.map((entry) => entry.method)).toEqual(["wallet_switchEthereumChain", "eth_chainId", "wallet_switchEthereumChain"]);
  });
});
