#!/usr/bin/env node
/**
 * `vermilion-verify`: re-derives and checks a token's (or a whole edition's) record from nothing but an
 * Ethereum JSON-RPC endpoint and IPFS bytes (a gateway or a CAR), without Vermilion's database or API.
 * docs/verification.md explains every check and what each mode trusts.
 *
 * Exit codes: 0 verdict pass (or a report that checks out), 1 verdict fail (or a report that does not),
 * 2 bad arguments (the message names the flag), 3 the verification could not run (RPC/IPFS unreachable).
 */
import type { Address, Hex, PublicClient } from "viem";
import type { ChainReader } from "../chainReader.js";
import type { ContentSource } from "../content/contentSource.js";
import type { CheckResult, EditionReport, ReportVersion, TokenReport, VerificationReport } from "../report.js";

import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { createPublicClient, getAddress, http, isAddress } from "viem";

import { isBundleProofError } from "../proofs/bundleProofError.js";
import { verdictOf } from "../report.js";
import { VerifierError } from "../verifierError.js";
import { crossCheckBundle } from "../bundle/crossCheckBundle.js";
import { openProvenanceBundle } from "../bundle/openProvenanceBundle.js";
import { checkReportSignature } from "../checkReportSignature.js";
import { createGatewayContentSource } from "../content/createGatewayContentSource.js";
import { createHttpApiProvenanceSource } from "../createHttpApiProvenanceSource.js";
import { createRpcChainReader } from "../createRpcChainReader.js";
import { createVerificationSession } from "../createVerificationSession.js";
import { serializeReport, signedPayload } from "../serializeReport.js";
import { signReport } from "../signReport.js";
import { verifyEdition } from "../verifyEdition.js";
import { verifyToken } from "../verifyToken.js";

const USAGE = `Usage:
  vermilion-verify --rpc <url> --factory <address> --contract <address> (--token <id> | --edition <id>)
                   [--gateway <url>] [--car <file>] [--chain-id <n>] [--block <n>] [--from-block <n>]
                   [--api <url>]
                   [--out <file>] [--sign-key <0x… | file>]
  vermilion-verify --car <bundle.car> --factory <address> [--trust-block <hash>] [--token <id> | --edition <id>] [--rpc <url>]
  vermilion-verify --check-report <file> --signer <address> [--signer <address> …]
                   [--rpc <url> --factory <address> (--gateway <url> | --car <file>)]`;

class UsageError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
  }
}

const options = {
  rpc: { type: "string" },
  contract: { type: "string" },
  token: { type: "string" },
  edition: { type: "string" },
  gateway: { type: "string" },
  car: { type: "string" },
  factory: { type: "string" },
  "chain-id": { type: "string" },
  block: { type: "string" },
  "from-block": { type: "string" },
  api: { type: "string" },
  out: { type: "string" },
  "sign-key": { type: "string" },
  "check-report": { type: "string" },
  "trust-block": { type: "string" },
  signer: { type: "string", multiple: true },
  help: { type: "boolean" },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof options; strict: true }>>["values"];

function parseOptions(argv: string[]): Options {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const flag = /'(--?[\w-]+)/.exec((error as Error).message)?.[1] ?? "arguments";
    throw new UsageError(flag, (error as Error).message);
  }
}

function url(flag: string, value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http(s)");
    return value;
  } catch {
    throw new UsageError(flag, `expected an http(s) URL, got "${value}"`);
  }
}

function address(flag: string, value: string): Address {
  if (!isAddress(value, { strict: false })) throw new UsageError(flag, `expected a 0x-prefixed 20-byte address, got "${value}"`);
  return getAddress(value);
}

function integer(flag: string, value: string, { positive = false } = {}): bigint {
  if (!/^[0-9]{1,30}$/.test(value) || (positive && BigInt(value) === 0n)) {
    throw new UsageError(flag, `expected a ${positive ? "positive" : "non-negative"} decimal integer, got "${value}"`);
  }
  return BigInt(value);
}

function blockHash(flag: string, value: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new UsageError(flag, `expected a 0x-prefixed 32-byte block hash, got "${value}"`);
  return value.toLowerCase() as Hex;
}

async function readSignKey(value: string): Promise<Hex> {
  const text = /^0x[0-9a-fA-F]{64}$/.test(value) ? value : await readFile(value, "utf8").then((content) => content.trim(), () => "");
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new UsageError("--sign-key", "expected a 0x-prefixed 32-byte private key, or a file holding one");
  return text as Hex;
}

function progressBar(): (progress: { done: number; total: number }) => void {
  let lastDecile = -1;
  return ({ done, total }) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} tokens`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${done === total ? "\n" : ""}`);
      return;
    }
    // Not a terminal (a log file, a CI): a line per tenth, not per token.
    const decile = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      process.stderr.write(`${line}\n`);
    }
  };
}

interface Sources {
  chain: ChainReader;
  content: ContentSource;
  /** Set in --car mode: the bundle's own answers, cross-checked when --rpc is given too. */
  bundleCheck?: CheckResult;
  bundleDefaults?: { contract: Address; editionId: bigint; factoryFromBlock: bigint };
  /** A version 1 bundle holds no answers for the issuer checks: it replays as a version 1 report. */
  bundleReportVersion?: ReportVersion;
  /** A version 3 bundle's `bundle.proofs` check (what the verdict trusted), made after the verification. */
  bundleProofsCheck?: () => CheckResult;
}

async function openSources(values: Options, pinned?: { number: bigint; hash: string }): Promise<Sources> {
  const rpc = values.rpc === undefined ? undefined : url("--rpc", values.rpc);
  const gateway = values.gateway === undefined ? undefined : url("--gateway", values.gateway);
  const block = values.block === undefined ? pinned?.number : integer("--block", values.block);
  const client = rpc ? (createPublicClient({ transport: http(rpc, { retryCount: 2, timeout: 30_000 }) }) as PublicClient) : undefined;

  if (values.car !== undefined) {
    let car: Uint8Array;
    try {
      car = new Uint8Array(await readFile(values.car));
    } catch (error) {
      throw new UsageError("--car", `cannot read ${values.car}: ${(error as Error).message}`);
    }
    const trustedBlockHash = values["trust-block"] === undefined ? undefined : blockHash("--trust-block", values["trust-block"]);
    const opened = await openProvenanceBundle(car, `car ${values.car}`, trustedBlockHash === undefined ? {} : { trustedBlockHash });
    const bundleDefaults = {
      contract: getAddress(opened.bundle.contract),
      editionId: BigInt(opened.bundle.editionId),
      factoryFromBlock: BigInt(opened.bundle.factoryFromBlock),
    };
    const bundleReportVersion: ReportVersion = opened.bundle.version === 1 ? 1 : 2;
    const proofs = opened.proofs ? { bundleProofsCheck: opened.proofs.check } : {};
    if (!client) return { chain: opened.chain, content: opened.content, bundleDefaults, bundleReportVersion, ...proofs };
    // --car with --rpc: the chain comes from the endpoint, at the bundle's block; the bundle's answers are cross-checked.
    const live = await createRpcChainReader(client, { blockNumber: BigInt(opened.bundle.pinnedBlock.number) });
    const bundleCheck = await crossCheckBundle(live, opened.bundle.pinnedBlock, opened.bundle.answers, opened.proofs !== undefined);
    return { chain: live, content: opened.content, bundleCheck, bundleDefaults };
  }
  if (values["trust-block"] !== undefined) throw new UsageError("--trust-block", "applies to a bundle: give --car <bundle.car>");
  if (!client) throw new UsageError("--rpc", "is required (or --car with a provenance bundle)");
  if (!gateway) throw new UsageError("--gateway", "is required to read IPFS content (or --car with a provenance bundle)");
  const chain = await createRpcChainReader(client, block === undefined ? {} : { blockNumber: block });
  if (pinned && chain.pinnedBlock.hash !== pinned.hash) {
    throw new UsageError("--rpc", `block ${pinned.number} is ${chain.pinnedBlock.hash} on this endpoint, not ${pinned.hash} as the report says`);
  }
  return { chain, content: createGatewayContentSource({ gatewayUrl: gateway }) };
}

interface Target {
  contract?: Address;
  tokenId?: bigint;
  editionId?: bigint;
}

async function runVerification(
  values: Options,
  target: Target,
  pinned?: { number: bigint; hash: string },
  reportVersion?: ReportVersion,
): Promise<VerificationReport> {
  if (values.factory === undefined) throw new UsageError("--factory", "is required: the Vermilion factory address you trust on this chain");
  const factory = address("--factory", values.factory);
  const expectedChainId = values["chain-id"] === undefined ? undefined : Number(integer("--chain-id", values["chain-id"], { positive: true }));
  const sources = await openSources(values, pinned);
  const contract = target.contract ?? sources.bundleDefaults?.contract;
  if (!contract) throw new UsageError("--contract", "is required");
  const editionId = target.editionId ?? (target.tokenId === undefined ? sources.bundleDefaults?.editionId : undefined);
  if (target.tokenId === undefined && editionId === undefined) throw new UsageError("--token", "give --token <id> or --edition <id>");
  const session = createVerificationSession(
    {
      chain: sources.chain,
      content: sources.content,
      factory,
      ...(values["from-block"] !== undefined
        ? { factoryFromBlock: integer("--from-block", values["from-block"]) }
        : sources.bundleDefaults
          ? { factoryFromBlock: sources.bundleDefaults.factoryFromBlock }
          : {}),
      ...(expectedChainId !== undefined ? { expectedChainId } : {}),
      ...((reportVersion ?? sources.bundleReportVersion) !== undefined ? { reportVersion: (reportVersion ?? sources.bundleReportVersion)! } : {}),
      ...(values.api !== undefined ? { api: createHttpApiProvenanceSource({ apiUrl: url("--api", values.api) }) } : {}),
    },
    contract,
  );
  let report: TokenReport | EditionReport;
  if (target.tokenId !== undefined) {
    report = await verifyToken(session, target.tokenId);
  } else {
    report = await verifyEdition(session, { editionId: editionId!, onProgress: progressBar() });
  }
  for (const bundleCheck of [sources.bundleProofsCheck?.(), sources.bundleCheck]) {
    if (!bundleCheck) continue;
    report = { ...report, checks: [...report.checks, bundleCheck] };
    if (bundleCheck.status === "fail") report.verdict = "fail";
  }
  return report;
}

function targetOf(values: Options): Target {
  if (values.token !== undefined && values.edition !== undefined) throw new UsageError("--edition", "give either --token or --edition, not both");
  return {
    ...(values.contract !== undefined ? { contract: address("--contract", values.contract) } : {}),
    ...(values.token !== undefined ? { tokenId: integer("--token", values.token, { positive: true }) } : {}),
    ...(values.edition !== undefined ? { editionId: integer("--edition", values.edition, { positive: true }) } : {}),
  };
}

async function output(values: Options, text: string): Promise<void> {
  if (values.out !== undefined) await writeFile(values.out, text);
  else process.stdout.write(text);
}

async function checkReport(values: Options, path: string): Promise<number> {
  let text: string;
  let report: VerificationReport;
  try {
    text = await readFile(path, "utf8");
    report = JSON.parse(text) as VerificationReport;
  } catch (error) {
    throw new UsageError("--check-report", `cannot read a JSON report from ${path}: ${(error as Error).message}`);
  }
  if (typeof report !== "object" || report === null || (report.reportVersion !== 1 && report.reportVersion !== 2) || !report.pinnedBlock || !report.subject) {
    throw new UsageError("--check-report", `${path} is not a version 1 or 2 verification report`);
  }
  const signers = (values.signer ?? []).map((signer) => address("--signer", signer));
  const signature = await checkReportSignature(text, report, { signers });
  const result: Record<string, unknown> = { ...signature };
  let ok = signature.valid;
  // With a chain (and content) given, the report is also re-derived at its pinned block and compared byte for byte.
  if (values.rpc !== undefined || values.car !== undefined) {
    const subject = report.subject as { contract: string; tokenId?: string; editionId: string };
    const rerun = await runVerification(
      values,
      {
        contract: address("--check-report", subject.contract),
        ...(subject.tokenId !== undefined ? { tokenId: BigInt(subject.tokenId) } : { editionId: BigInt(subject.editionId) }),
      },
      { number: BigInt(report.pinnedBlock.number), hash: report.pinnedBlock.hash },
      // Re-derived at the report's own version, so a report signed before the issuer checks still reproduces.
      report.reportVersion,
    );
    // The bundle's own checks (bundle.proofs, bundle.chainData) say what the re-derivation trusted; they
    // are not part of the report being checked, so they are reported beside it and compared without.
    const bundleChecks = rerun.checks.filter((entry) => entry.name.startsWith("bundle."));
    if (bundleChecks.length > 0) {
      result.bundleChecks = bundleChecks.map((entry) => ({ name: entry.name, status: entry.status, summary: entry.summary, ...(entry.failure ? { failure: entry.failure } : {}) }));
      if (bundleChecks.some((entry) => entry.status === "fail")) ok = false;
    }
    const checks = rerun.checks.filter((entry) => !entry.name.startsWith("bundle."));
    const tokensPass = "reports" in rerun ? rerun.reports.every((token) => token.verdict === "pass") : true;
    const rederived = { ...rerun, checks, verdict: verdictOf(checks) === "pass" && tokensPass ? ("pass" as const) : ("fail" as const) };
    const reproduced = signedPayload(rederived) === signedPayload(report);
    result.reproduced = reproduced;
    ok = ok && reproduced;
  }
  if (report.issuer) result.issuer = report.issuer.address;
  result.verdict = report.verdict;
  await output(values, `${JSON.stringify(result, null, 2)}\n`);
  return ok ? 0 : 1;
}

/** Every flag's format first, so a typo is named before anything is read. */
function checkFlagFormats(values: Options): void {
  for (const flag of ["rpc", "gateway", "api"] as const) if (values[flag] !== undefined) url(`--${flag}`, values[flag]);
  for (const flag of ["factory", "contract"] as const) if (values[flag] !== undefined) address(`--${flag}`, values[flag]);
  for (const signer of values.signer ?? []) address("--signer", signer);
  for (const flag of ["token", "edition", "chain-id"] as const) if (values[flag] !== undefined) integer(`--${flag}`, values[flag], { positive: true });
  for (const flag of ["block", "from-block"] as const) if (values[flag] !== undefined) integer(`--${flag}`, values[flag]);
  if (values["trust-block"] !== undefined) blockHash("--trust-block", values["trust-block"]);
}

async function main(argv: string[]): Promise<number> {
  const values = parseOptions(argv);
  checkFlagFormats(values);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values["check-report"] !== undefined) return checkReport(values, values["check-report"]);
  let report = await runVerification(values, targetOf(values));
  if (values["sign-key"] !== undefined) report = await signReport(report, await readSignKey(values["sign-key"]));
  await output(values, serializeReport(report));
  return report.verdict === "pass" ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`vermilion-verify: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (isBundleProofError(error)) {
    // A bundle whose proofs do not hold is a failed verification, not one that could not run: exit 1, and
    // the code names what failed (which header, block or proof).
    process.stdout.write(`${JSON.stringify({ verdict: "fail", failure: { code: error.code, detail: error.message, details: error.details } }, null, 2)}\n`);
    process.stderr.write(`vermilion-verify: the bundle's proofs fail: ${error.code}: ${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof VerifierError) {
    process.stderr.write(`vermilion-verify: cannot verify: ${error.code}: ${error.message}\n`);
    process.exitCode = 3;
  } else {
    process.stderr.write(`vermilion-verify: cannot verify: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 3;
  }
}
