import type { Address, Hex, PublicClient } from "viem";
import type { ChainReader } from "vermilion-verify/chainReader.js";
import type { ReportSignatureRefusal } from "vermilion-verify/checkReportSignature.js";
import type { ContentSource } from "vermilion-verify/content/contentSource.js";
import type { EditionReport, TokenReport, VerificationReport } from "vermilion-verify/report.js";
import type { ChosenEndpoints } from "./pageVerifyEndpoints.js";

import { createPublicClient, getAddress, http, recoverMessageAddress } from "viem";
// Each from its own module, not the package's index: the index also exports the bundle builder and the
// proofs, whose code (RLP, tries, an EVM) an RPC verification never needs.
import { openProvenanceBundle } from "vermilion-verify/bundle/openProvenanceBundle.js";
import { checkReportSignature } from "vermilion-verify/checkReportSignature.js";
import { createGatewayContentSource } from "vermilion-verify/content/createGatewayContentSource.js";
import { createRpcChainReader } from "vermilion-verify/createRpcChainReader.js";
import { createVerificationSession } from "vermilion-verify/createVerificationSession.js";
import { isBundleProofError } from "vermilion-verify/proofs/bundleProofError.js";
import { isVerifierError } from "vermilion-verify/verifierError.js";
import { verifyEdition } from "vermilion-verify/verifyEdition.js";
import { verifyToken } from "vermilion-verify/verifyToken.js";

/*
 * The verifier library, run in the reader's browser: this module is its own chunk (loaded by
 * loadBrowserVerifier.ts when a page that verifies opens), so a page keeps working once it is loaded,
 * whatever happens to the server that sent it.
 */

/**
 * viem loads its secp256k1 code with a dynamic import the first time it recovers a signer (a report's
 * signature, a bundle's transaction senders). Recovering one known signature as this chunk loads fetches
 * it now, so a page that has opened can still do that once its server, or its network, is gone.
 */
export const ready: Promise<void> = recoverMessageAddress({
  message: "vermilion",
  signature: "0x75ee7ce97b4c094b8b3dd953e117d8ca4f3f44f19b08104d03c00130d7c286b025b3d566687621b5ac7b36cd88dcdea36ac3968c9bc53cede5c9f57ac4545bba1c",
}).then((signer) => {
  if (signer !== "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf") throw new Error(`signature recovery gave ${signer}`);
});

/** How far a run got: answers read from the chain and blocks from the gateway, and tokens for an edition. */
export interface BrowserVerifyProgress {
  chainAnswers: number;
  contentBlocks: number;
  tokens?: { done: number; total: number };
}

/** What a report trusted, shown beside it and kept in its JSON: the endpoints, and the chain they served. */
export interface TrustedEndpoints {
  rpcUrl: string;
  gatewayUrl: string;
  factory: Address;
  trustsPlatform: ChosenEndpoints["trustsPlatform"];
  /** The chain id the RPC endpoint answered, and the block every read was pinned to. */
  chainId: number;
  pinnedBlock: { number: string; hash: string };
}

export type BrowserVerifyOutcome<Report> =
  | { ok: true; report: Report; trusted: TrustedEndpoints }
  /** An endpoint did not answer: the run says which, and why, instead of a verdict it could not reach. */
  | { ok: false; unreachable: "rpc" | "gateway"; url: string; reason: string };

export interface VerifyInBrowserParameters {
  endpoints: ChosenEndpoints;
  contract: Address;
  onProgress?: (progress: BrowserVerifyProgress) => void;
}

const RPC_TIMEOUT_MS = 20_000;
const GATEWAY_TIMEOUT_MS = 20_000;

/** The first line of an error's message, as the sentence about an unreachable endpoint quotes it. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 200);
}

function codeOf(error: unknown): string | undefined {
  return isVerifierError(error) ? error.code : undefined;
}

/** The chain reader and content source of one run, counting what they read for the progress line. */
async function openSources(parameters: VerifyInBrowserParameters, progress: BrowserVerifyProgress, gatewayFailures: unknown[]): Promise<{ chain: ChainReader; content: ContentSource }> {
  const { endpoints, onProgress } = parameters;
  const counted = <Result>(promise: Promise<Result>, counter: "chainAnswers" | "contentBlocks"): Promise<Result> =>
    promise.then((result) => {
      progress[counter] += 1;
      onProgress?.({ ...progress });
      return result;
    });
  const client = createPublicClient({ transport: http(endpoints.rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: 1 }) }) as PublicClient;
  const rpc = await counted(createRpcChainReader(client), "chainAnswers");
  const chain: ChainReader = {
    pinnedBlock: rpc.pinnedBlock,
    getChainId: () => counted(rpc.getChainId(), "chainAnswers"),
    getBlock: (number) => counted(rpc.getBlock(number), "chainAnswers"),
    getCode: (address) => counted(rpc.getCode(address), "chainAnswers"),
    call: (to, data) => counted(rpc.call(to, data), "chainAnswers"),
    getLogs: (query) => counted(rpc.getLogs(query), "chainAnswers"),
    getReceipt: (hash) => counted(rpc.getReceipt(hash), "chainAnswers"),
    getTransaction: (hash) => counted(rpc.getTransaction(hash), "chainAnswers"),
  };
  const gateway = createGatewayContentSource({ gatewayUrl: endpoints.gatewayUrl, timeoutMs: GATEWAY_TIMEOUT_MS });
  const content: ContentSource = {
    description: gateway.description,
    getBlock: (cid) =>
      counted(
        gateway.getBlock(cid).catch((error: unknown) => {
          // A gateway that does not answer (as opposed to one that lacks a block) makes a failed content
          // check mean nothing: the run reports the gateway instead of that verdict.
          if (codeOf(error) === "IPFS_NODE_UNAVAILABLE") gatewayFailures.push(error);
          throw error;
        }),
        "contentBlocks",
      ),
  };
  return { chain, content };
}

async function run<Report extends { pinnedBlock: { number: string; hash: string }; subject: { chainId: number } }>(
  parameters: VerifyInBrowserParameters,
  verify: (session: ReturnType<typeof createVerificationSession>, progress: BrowserVerifyProgress) => Promise<Report>,
): Promise<BrowserVerifyOutcome<Report>> {
  const { endpoints } = parameters;
  const progress: BrowserVerifyProgress = { chainAnswers: 0, contentBlocks: 0 };
  const gatewayFailures: unknown[] = [];
  let report: Report;
  try {
    const sources = await openSources(parameters, progress, gatewayFailures);
    const session = createVerificationSession(
      { ...sources, factory: endpoints.factory, factoryFromBlock: endpoints.factoryFromBlock, expectedChainId: endpoints.chainId },
      parameters.contract,
    );
    report = await verify(session, progress);
  } catch (error) {
    if (codeOf(error) === "CHAIN_UNAVAILABLE") return { ok: false, unreachable: "rpc", url: endpoints.rpcUrl, reason: reasonOf(error) };
    throw error;
  }
  if (gatewayFailures.length > 0) return { ok: false, unreachable: "gateway", url: endpoints.gatewayUrl, reason: reasonOf(gatewayFailures[0]) };
  return {
    ok: true,
    report,
    trusted: {
      rpcUrl: endpoints.rpcUrl,
      gatewayUrl: endpoints.gatewayUrl,
      factory: endpoints.factory,
      trustsPlatform: endpoints.trustsPlatform,
      chainId: report.subject.chainId,
      pinnedBlock: report.pinnedBlock,
    },
  };
}

/** Verifies one token in this browser against the reader's endpoints. */
export function verifyTokenInBrowser(parameters: VerifyInBrowserParameters & { tokenId: bigint }): Promise<BrowserVerifyOutcome<TokenReport>> {
  return run(parameters, (session) => verifyToken(session, parameters.tokenId));
}

/** Verifies every minted serial of an edition in this browser, reporting each token done. */
export function verifyEditionInBrowser(parameters: VerifyInBrowserParameters & { editionId: bigint }): Promise<BrowserVerifyOutcome<EditionReport>> {
  return run(parameters, (session, progress) =>
    verifyEdition(session, {
      editionId: parameters.editionId,
      onProgress: (tokens) => {
        progress.tokens = tokens;
        parameters.onProgress?.({ ...progress });
      },
    }),
  );
}

/** What checking a stored report's signature found, against the signers the reader named. */
export type SignedReportCheck =
  | { ok: true; signer: string; canonical: boolean; verdict: string }
  | { ok: false; code: ReportSignatureRefusal | "NOT_JSON" | "NOT_A_REPORT"; reason: string; signer?: string };

/**
 * Checks a report file's EIP-191 signature in this browser, as `vermilion-verify --check-report --signer`
 * does: valid only when its signer is one of `signers` (anybody can sign a "pass" with a key of their own).
 */
export async function checkSignedReport(text: string, signers: readonly Address[]): Promise<SignedReportCheck> {
  let report: VerificationReport;
  try {
    report = JSON.parse(text) as VerificationReport;
  } catch (error) {
    return { ok: false, code: "NOT_JSON", reason: `not JSON: ${reasonOf(error)}` };
  }
  if (typeof report !== "object" || report === null || !report.pinnedBlock || !report.subject || !Array.isArray(report.checks)) {
    return { ok: false, code: "NOT_A_REPORT", reason: "not a Vermilion verification report" };
  }
  const result = await checkReportSignature(text, report, { signers });
  return result.valid
    ? { ok: true, signer: result.signer, canonical: result.canonical, verdict: report.verdict }
    : { ok: false, code: result.code, reason: result.reason, ...(result.signer ? { signer: result.signer } : {}) };
}

/**
 * Fetches the proofs' code (a separate chunk, since token pages verifying from an RPC endpoint never need
 * it) so that /audit, once open, verifies a bundle with no network.
 */
export async function preloadBundleProofs(): Promise<void> {
  await import("vermilion-verify/proofs/openBundleProofs.js");
}

export interface VerifyBundleInBrowserParameters {
  car: Uint8Array;
  /** The pinned block's hash as the reader knows it (their node, an explorer): with it the bundle is proven from that hash alone. */
  trustedBlockHash?: Hex;
  /** The Vermilion factory the reader trusts on the bundle's chain. */
  factory: Address;
  /** One token; absent, every minted serial of the bundle's edition. */
  tokenId?: bigint;
  onProgress?: (tokens: { done: number; total: number }) => void;
}

export type BundleVerifyOutcome =
  | { ok: true; report: TokenReport | EditionReport; pinnedBlock: { number: string; hash: string }; trustedBlockHash: string | null }
  /** The bundle is not one, or its proofs do not hold: the code names what failed, the message where. */
  | { ok: false; code: string; message: string };

/**
 * Verifies a provenance bundle in this browser with no network at all, as `vermilion-verify --car …
 * --trust-block <hash>` does: a version 3 bundle's headers, block bodies and state proofs are checked
 * before any answer is read, and the report ends with `bundle.proofs`, which says what was trusted.
 */
export async function verifyBundleInBrowser(parameters: VerifyBundleInBrowserParameters): Promise<BundleVerifyOutcome> {
  let opened: Awaited<ReturnType<typeof openProvenanceBundle>>;
  try {
    opened = await openProvenanceBundle(parameters.car, "bundle", parameters.trustedBlockHash === undefined ? {} : { trustedBlockHash: parameters.trustedBlockHash });
  } catch (error) {
    if (isBundleProofError(error) || isVerifierError(error)) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
  const session = createVerificationSession(
    {
      chain: opened.chain,
      content: opened.content,
      factory: parameters.factory,
      factoryFromBlock: BigInt(opened.bundle.factoryFromBlock),
      reportVersion: opened.bundle.version === 1 ? 1 : 2,
    },
    getAddress(opened.bundle.contract),
  );
  let report: TokenReport | EditionReport =
    parameters.tokenId !== undefined
      ? await verifyToken(session, parameters.tokenId)
      : await verifyEdition(session, { editionId: BigInt(opened.bundle.editionId), ...(parameters.onProgress ? { onProgress: parameters.onProgress } : {}) });
  const proofsCheck = opened.proofs?.check();
  if (proofsCheck) report = { ...report, checks: [...report.checks, proofsCheck], verdict: proofsCheck.status === "fail" ? "fail" : report.verdict };
  return { ok: true, report, pinnedBlock: opened.bundle.pinnedBlock, trustedBlockHash: parameters.trustedBlockHash ?? null };
}
