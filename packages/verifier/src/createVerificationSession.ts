import type { Address, Hex } from "viem";
import type { ChainLog, ChainReader } from "./chainReader.js";
import type { ContentSource } from "./content/contentSource.js";
import type { ReadVerifiedFileReturnType } from "./content/readVerifiedFile.js";
import type { CheckIssuerRolesReturnType } from "./checkIssuerRoles.js";
import type { CheckResult, ReportVersion } from "./report.js";
import type { RoleHistory } from "./roleHistory.js";

import { CID } from "multiformats/cid";
import { decodeEventLog, encodeEventTopics, getAddress, toEventSelector } from "viem";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { checkContractIdentity } from "./checkContractIdentity.js";
import { checkIssuerRoles, readPlatformKeys } from "./checkIssuerRoles.js";
import { readVerifiedFile } from "./content/readVerifiedFile.js";
import { sha256Hex } from "./content/sha256Hex.js";
import { readContract } from "./readContract.js";
import { REPORT_VERSION } from "./report.js";
import { readRoleHistory } from "./roleHistory.js";

export const TRANSFER_TOPIC = toEventSelector("Transfer(address,address,uint256)");

/** What the platform's index says about a token, for the `api.provenance` comparison. */
export interface ApiTokenRecord {
  token: {
    owner: string | null;
    burned: boolean;
    editionId: string;
    serial: number;
    maxSupply: number;
    metadataCid: string;
    mediaCid: string;
    contentSha256: string;
    transferPolicy: string;
  };
  history: Array<{ from: string; to: string; txHash: string; blockNumber: number; blockHash: string; logIndex: number }>;
}

/** Reads the platform's record of a token; null when the platform does not know it. */
export type ApiProvenanceSource = (contract: Address, tokenId: bigint) => Promise<ApiTokenRecord | null>;

export interface VerificationDeps {
  chain: ChainReader;
  content: ContentSource;
  /** The Vermilion factory the auditor trusts (published address on that chain). */
  factory: Address;
  /**
   * First block to search for the factory's CollectionCreated event: the factory's deployment block when
   * known (0 searches the whole chain, which a public endpoint may make slow).
   */
  factoryFromBlock?: bigint;
  /** Fail `contract.identity` unless the endpoint serves this chain. */
  expectedChainId?: number;
  /** When given, each report also compares the platform's record with the chain (`api.provenance`). */
  api?: ApiProvenanceSource;
  /**
   * Media files already hashed, by CID. A file's bytes never change under its CID, so a caller that
   * verifies the same media again (a platform answering many page views) may keep what hashing found;
   * absent, every run reads and hashes the media itself.
   */
  mediaDigests?: MediaDigestCache;
  /**
   * The report version to produce (the current one when absent). Re-deriving a version 1 report or
   * replaying a version 1 bundle asks for 1: no issuer checks, whose chain answers such a bundle lacks.
   */
  reportVersion?: ReportVersion;
}

/** What reading a media file whole, every block verified, found: all `media.content` needs of it. */
export interface MediaDigest {
  fileCid: string;
  recomputedCid: string;
  /** `0x` + the SHA-256 of the file's bytes. */
  contentSha256: Hex;
  sizeBytes: number;
}

/** Digests of media that read whole; a read that failed is never kept (the source may recover). */
export interface MediaDigestCache {
  get(mediaCid: string): MediaDigest | undefined;
  set(mediaCid: string, digest: MediaDigest): void;
}

export type EditionOnChain = {
  editionId: bigint;
  maxSupply: bigint;
  mintedCount: bigint;
  burnedCount: bigint;
  isSealed: boolean;
  metadataFrozen: boolean;
  metadataCid: string;
  mediaCid: string;
  contentSha256: Hex;
  transferPolicy: number;
  holdSeconds: bigint;
};

export interface EditionFacts {
  /** null when the collection has no such edition at the pinned block. */
  view: EditionOnChain | null;
  created: ChainLog | null;
  /** `contentSha256` as committed in the EditionCreated event. */
  createdSha256: Hex | null;
  createdMediaCid: string | null;
  createdMaxSupply: bigint | null;
  sealedLogs: ChainLog[];
}

/**
 * One verification run against one collection at one pinned block: what several tokens share (the
 * contract's identity, its Transfer logs, an edition's facts and media) is read once.
 */
export interface VerificationSession {
  deps: VerificationDeps;
  contract: Address;
  identity(): Promise<{ check: CheckResult; creationBlock: bigint | null }>;
  transferLogs(tokenId: bigint): Promise<ChainLog[]>;
  edition(editionId: bigint): Promise<EditionFacts>;
  media(mediaCid: string): Promise<ReadVerifiedFileReturnType | { ok: false; kind: "invalidCid"; detail: string; blocks: [] }>;
  /** The media's digest: from `deps.mediaDigests` when it holds the CID, else from reading it (`media`). */
  mediaDigest(mediaCid: string): Promise<({ ok: true } & MediaDigest) | Exclude<Awaited<ReturnType<VerificationSession["media"]>>, { ok: true }>>;
  hasIssuerRole(account: Address): Promise<boolean>;
  /** The report version this run produces. */
  reportVersion: ReportVersion;
  /** The collection's role history since its creation (call after `contract.identity` passed). */
  roles(): Promise<RoleHistory>;
  /** The platform's keys: the sender of the collection's creation and the factory's DEPLOYER_ROLE holders. */
  platformKeys(): Promise<Array<{ account: Address; why: string[] }>>;
  /** The issuer's address and the `issuer.admin`, `issuer.platformKey` checks, once per run. */
  issuerRoles(): Promise<CheckIssuerRolesReturnType>;
}

function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= load());
}

function memoBy<K, T>(load: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const cache = new Map<K, Promise<T>>();
  return (key) => {
    let pending = cache.get(key);
    if (!pending) {
      pending = load(key);
      cache.set(key, pending);
    }
    return pending;
  };
}

function topicOf(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

export function createVerificationSession(deps: VerificationDeps, contract: Address): VerificationSession {
  const address = getAddress(contract);
  const identity = memo(() => checkContractIdentity(deps, address));

  // Every Transfer of the collection since its creation, once: one query serves a whole edition and
  // gives a bundle one recorded answer for any token.
  const allTransfers = memo(async () => {
    const { creationBlock } = await identity();
    const logs = await deps.chain.getLogs({ address, topics: [TRANSFER_TOPIC], fromBlock: creationBlock ?? 0n });
    const byToken = new Map<string, ChainLog[]>();
    for (const log of logs) {
      const tokenTopic = log.topics[3];
      if (!tokenTopic || log.topics.length !== 4) continue;
      const key = BigInt(tokenTopic).toString();
      byToken.set(key, [...(byToken.get(key) ?? []), log]);
    }
    return byToken;
  });

  const edition = memoBy(async (editionId: bigint): Promise<EditionFacts> => {
    const { creationBlock } = await identity();
    const [view, createdLogs, sealedLogs] = await Promise.all([
      readContract(deps.chain, { address, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] }),
      deps.chain.getLogs({
        address,
        topics: encodeEventTopics({ abi: vermilionCollectionAbi, eventName: "EditionCreated", args: { editionId } }) as Hex[],
        fromBlock: creationBlock ?? 0n,
      }),
      deps.chain.getLogs({
        address,
        topics: [encodeEventTopics({ abi: vermilionCollectionAbi, eventName: "EditionSealed" })[0] as Hex, topicOf(editionId)],
        fromBlock: creationBlock ?? 0n,
      }),
    ]);
    const created = createdLogs[0] ?? null;
    let createdSha256: Hex | null = null;
    let createdMediaCid: string | null = null;
    let createdMaxSupply: bigint | null = null;
    if (created) {
      const decoded = decodeEventLog({ abi: vermilionCollectionAbi, eventName: "EditionCreated", topics: created.topics as [Hex, ...Hex[]], data: created.data });
      createdSha256 = decoded.args.contentSha256.toLowerCase() as Hex;
      createdMediaCid = decoded.args.mediaCid;
      createdMaxSupply = decoded.args.maxSupply;
    }
    return {
      view: view.ok ? { ...view.value, transferPolicy: Number(view.value.transferPolicy), contentSha256: view.value.contentSha256.toLowerCase() as Hex } : null,
      created,
      createdSha256,
      createdMediaCid,
      createdMaxSupply,
      sealedLogs,
    };
  });

  const media = memoBy(async (mediaCid: string) => {
    let cid: CID;
    try {
      cid = CID.parse(mediaCid);
    } catch {
      return { ok: false as const, kind: "invalidCid" as const, detail: `${mediaCid} is not a CID`, blocks: [] as [] };
    }
    return readVerifiedFile(deps.content, { rootCid: cid });
  });

  const mediaDigest = memoBy(async (mediaCid: string) => {
    const kept = deps.mediaDigests?.get(mediaCid);
    if (kept) return { ok: true as const, ...kept };
    const file = await media(mediaCid);
    if (!file.ok) return file;
    const digest: MediaDigest = {
      fileCid: file.fileCid,
      recomputedCid: file.recomputedCid,
      contentSha256: await sha256Hex(file.bytes),
      sizeBytes: file.bytes.byteLength,
    };
    deps.mediaDigests?.set(mediaCid, digest);
    return { ok: true as const, ...digest };
  });

  const issuerRole = memo(async () => {
    const role = await readContract(deps.chain, { address, abi: vermilionCollectionAbi, functionName: "ISSUER_ROLE" });
    return role.ok ? role.value : null;
  });
  const hasIssuerRole = memoBy(async (account: Address) => {
    const role = await issuerRole();
    if (!role) return false;
    const result = await readContract(deps.chain, { address, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });
    return result.ok && result.value;
  });

  const roles = memo(async () => {
    const { creationBlock } = await identity();
    return readRoleHistory(deps.chain, { address, fromBlock: creationBlock ?? 0n });
  });

  const session: VerificationSession = {
    deps,
    contract: address,
    reportVersion: deps.reportVersion ?? REPORT_VERSION,
    identity,
    transferLogs: async (tokenId) => (await allTransfers()).get(tokenId.toString()) ?? [],
    edition,
    media,
    mediaDigest,
    hasIssuerRole,
    roles,
    platformKeys: memo(() => readPlatformKeys(session)),
    issuerRoles: memo(() => checkIssuerRoles(session)),
  };
  return session;
}

/** Where an event sits on the chain, as reports cite it. */
export function logReference(log: ChainLog): { blockNumber: string; blockHash: string; logIndex: number; transactionHash: string } {
  return { blockNumber: log.blockNumber, blockHash: log.blockHash, logIndex: log.logIndex, transactionHash: log.transactionHash };
}
