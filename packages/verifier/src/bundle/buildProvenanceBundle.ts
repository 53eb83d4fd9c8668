import type { Address, Hex, PublicClient } from "viem";
import type { StateProofsLibrary } from "../proofs/provenState.js";
import type { ChainReader } from "../chainReader.js";
import type { ContentSource } from "../content/contentSource.js";
import type { ProvenanceBundle } from "./provenanceBundle.js";

import { CarWriter } from "@ipld/car/writer";
import { concat as concatBytes } from "uint8arrays/concat";
import { CID } from "multiformats/cid";
import * as json from "multiformats/codecs/json";
import { sha256 } from "multiformats/hashes/sha2";

import { answerKey } from "../chainReader.js";
import { ChainProofsUnavailableError, collectChainProofs } from "../proofs/collectChainProofs.js";
import { VerifierError } from "../verifierError.js";
import { canonicalJson } from "../shared/canonicalJson.js";
import { blockKey } from "../content/blockKey.js";
import { createVerificationSession } from "../createVerificationSession.js";
import { recordChainReader } from "../recordChainReader.js";
import { verifyEdition } from "../verifyEdition.js";
import { BUNDLE_FORMAT } from "./provenanceBundle.js";

export interface BuildProvenanceBundleParameters {
  chain: ChainReader;
  content: ContentSource;
  factory: Address;
  factoryFromBlock?: bigint;
  contract: Address;
  editionId: bigint;
  /**
   * Where the proofs come from (the endpoint `chain` reads, at the same pinned block): with it the bundle
   * is version 3 and carries headers, block bodies and state proofs; without it, version 2 (answers only).
   */
  proofs?: { client: PublicClient; stateProofs?: StateProofsLibrary | null };
}

export interface BuildProvenanceBundleReturnType {
  rootCid: CID;
  /** The CARv1 bytes: the root block first, then every content block the verification read. */
  car: Uint8Array;
  /**
   * Why a bundle asked to carry proofs carries none (version 2): the endpoint's headers could not be
   * rebuilt to their hashes (a fork or chain whose header fields this verifier does not know).
   */
  proofsUnavailable?: string;
}

/**
 * Builds an edition's offline provenance bundle by running the edition's verification once against the
 * live chain and content while recording every chain answer and every block read; those answers and
 * blocks are exactly what the same verification needs later, offline.
 */
export async function buildProvenanceBundle(parameters: BuildProvenanceBundleParameters): Promise<BuildProvenanceBundleReturnType> {
  const recording = recordChainReader(parameters.chain);
  const blocks = new Map<string, { cid: CID; bytes: Uint8Array }>();
  const content: ContentSource = {
    description: parameters.content.description,
    async getBlock(cid) {
      const bytes = await parameters.content.getBlock(cid);
      blocks.set(blockKey(cid), { cid, bytes });
      return bytes;
    },
  };
  const session = createVerificationSession({
      chain: recording.reader,
      content,
      factory: parameters.factory,
      ...(parameters.factoryFromBlock !== undefined ? { factoryFromBlock: parameters.factoryFromBlock } : {}),
    }, parameters.contract);
  const report = await verifyEdition(session, { editionId: parameters.editionId });
  const edition = await session.edition(parameters.editionId);
  if (!edition.view) {
    throw new VerifierError("EDITION_NOT_FOUND", { editionId: parameters.editionId.toString(), collection: parameters.contract });
  }

  const answers = recording.answers();
  const pinned = parameters.chain.pinnedBlock;
  let proofsUnavailable: string | undefined;
  const proofs = parameters.proofs
    ? await collectChainProofs({
        client: parameters.proofs.client,
        answers,
        pinned: { number: BigInt(pinned.number), hash: pinned.hash as Hex },
        ...(parameters.proofs.stateProofs !== undefined ? { stateProofs: parameters.proofs.stateProofs } : {}),
      }).catch((error: unknown) => {
        if (!(error instanceof ChainProofsUnavailableError)) throw error;
        proofsUnavailable = error.message;
        return undefined;
      })
    : undefined;
  const unproven = new Set(proofs?.unproven.map((claim) => claim.question));
  const bundle: ProvenanceBundle = {
    format: BUNDLE_FORMAT,
    version: proofs ? 3 : 2,
    chainId: report.subject.chainId,
    contract: session.contract,
    factory: parameters.factory,
    editionId: parameters.editionId.toString(),
    factoryFromBlock: (parameters.factoryFromBlock ?? 0n).toString(),
    pinnedBlock: parameters.chain.pinnedBlock,
    metadataCid: edition.view.metadataCid,
    mediaCid: edition.view.mediaCid,
    events: report.reports.flatMap((tokenReport) => {
      const history = tokenReport.checks.find((check) => check.name === "history.transfers");
      const events = (history?.evidence.events ?? []) as ProvenanceBundle["events"];
      return events.map((event) => ({ ...event, tokenId: tokenReport.subject.tokenId }));
    }),
    // Version 3 keeps only the answers its proofs do not cover (the only ones a verifier may read): every
    // other answer is derived from the proofs, and recording it again would double the bundle.
    answers: (proofs ? answers.filter((answer) => unproven.has(answerKey(answer.method, answer.params))) : answers) as ProvenanceBundle["answers"],
    ...(proofs ? { proofs } : {}),
  };
  const rootBytes = new TextEncoder().encode(canonicalJson(bundle));
  const rootCid = CID.createV1(json.code, await sha256.digest(rootBytes));

  const roots: CID[] = [rootCid];
  for (const text of [edition.view.metadataCid, edition.view.mediaCid]) {
    try {
      const cid = CID.parse(text);
      if (blocks.has(blockKey(cid))) roots.push(cid);
    } catch {
      // A malformed CID on chain has no blocks to root; the verification already failed on it.
    }
  }
  const { writer, out } = CarWriter.create(roots);
  const collected = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of out) chunks.push(chunk);
    return concatBytes(chunks);
  })();
  await writer.put({ cid: rootCid, bytes: rootBytes });
  for (const { cid, bytes } of blocks.values()) await writer.put({ cid, bytes });
  await writer.close();
  return { rootCid, car: new Uint8Array(await collected), ...(proofsUnavailable !== undefined ? { proofsUnavailable } : {}) };
}
