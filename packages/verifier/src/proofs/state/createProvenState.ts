import type { Address, Hex } from "viem";
import type { VerifiedState } from "./provenStateManager.js";
import type { CallResult } from "../../chainReader.js";
import type { ProvenHeaderContext, ProvenState, Unproven } from "./stateProofs.js";

import { paramsBlock } from "@ethereumjs/block";
import { Mainnet, createCustomCommon } from "@ethereumjs/common";
import { EVMError, createEVM } from "@ethereumjs/evm";
import { createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { bytesToHex } from "viem";

import { ensureJumpAnalysisCache, registerCommonForJumpAnalysisCache } from "./cacheJumpAnalysis.js";
import { ProvenStateManager, UnprovenAccessError, describeUnprovenAccess } from "./provenStateManager.js";

export interface CreateProvenStateOptions {
  /**
   * The chain's hardfork at the pinned block (a header does not say it). Default "bpo1": what Anvil 1.7.1
   * runs by default (anvil_nodeInfo: Bpo1, i.e. Osaka's EVM with the first blob-parameter fork).
   */
  hardfork?: string;
}

/** The blob base fee for `excessBlobGas` (EIP-4844's fake exponential) with the hardfork's parameters. */
function blobBaseFee(excessBlobGas: bigint, minimum: bigint, fraction: bigint): bigint {
  let output = 0n;
  let accumulator = minimum * fraction;
  for (let i = 1n; accumulator > 0n; i += 1n) {
    output += accumulator;
    accumulator = (accumulator * excessBlobGas) / (fraction * i);
  }
  return output / fraction;
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** A call transaction's intrinsic gas: 21,000 and 4 per zero, 16 per other calldata byte (EIP-2028). */
function intrinsicGas(data: Uint8Array): bigint {
  let gas = 21_000n;
  for (const byte of data) gas += byte === 0 ? 4n : 16n;
  return gas;
}

function unproven(error: UnprovenAccessError): Unproven {
  return { unproven: true, code: "STATE_UNPROVEN", missing: error.access, detail: describeUnprovenAccess(error.access) };
}

/**
 * Answers `eth_call`/`eth_getCode` offline over verified state, as a node would at the pinned block: the
 * EVM runs with the chain's hardfork and the header's number, timestamp, coinbase, gas limit, base fee and
 * PREVRANDAO, from the zero address with gas price 0 and the block's gas limit less intrinsic gas (Anvil's
 * eth_call defaults). State outside the proofs, and block hashes (BLOCKHASH), are unproven rather than
 * read as zero.
 */
export async function createProvenState(
  verified: VerifiedState,
  header: ProvenHeaderContext,
  options: CreateProvenStateOptions = {},
): Promise<ProvenState> {
  const common = createCustomCommon({ chainId: header.chainId }, Mainnet, { hardfork: options.hardfork ?? "bpo1", params: paramsBlock });
  registerCommonForJumpAnalysisCache(common);
  await ensureJumpAnalysisCache();
  const stateManager = new ProvenStateManager(verified);
  const evm = await createEVM({
    common,
    stateManager,
    blockchain: {
      // The EVM's default mock answers BLOCKHASH with zeros; no proof here says what a block hash is.
      getBlock: (blockNumber: number) => Promise.reject(new UnprovenAccessError({ kind: "blockHash", blockNumber: BigInt(blockNumber) })),
      putBlock: () => Promise.resolve(),
      shallowCopy() {
        return this;
      },
    },
  });
  const block = {
    header: {
      number: header.number,
      coinbase: createAddressFromString(header.coinbase),
      timestamp: header.timestamp,
      difficulty: 0n,
      prevRandao: hexToBytes(header.prevRandao),
      gasLimit: header.gasLimit,
      baseFeePerGas: header.baseFeePerGas,
      getBlobGasPrice(): bigint | undefined {
        if (header.excessBlobGas === undefined) throw new UnprovenAccessError({ kind: "blobBaseFee" });
        return blobBaseFee(header.excessBlobGas, common.param("minBlobGas"), common.param("blobGasPriceUpdateFraction"));
      },
    },
  };

  // One EVM, one journal: calls the verifier makes concurrently are run one after another.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  // The state never changes, so neither does a call's answer: a question asked again is not run again.
  const answers = new Map<string, Promise<CallResult | Unproven>>();

  return {
    blockNumber: header.number,
    call(to: Address, data: Hex) {
      const key = `${to.toLowerCase()}:${data.toLowerCase()}`;
      const known = answers.get(key);
      if (known) return known;
      const answer = serially(async (): Promise<CallResult | Unproven> => {
        stateManager.resetWrites();
        const input = hexToBytes(data);
        // A call is a transaction of its own: nothing warm, touched or transient from the last one; the
        // sender, recipient, coinbase (EIP-3651) and precompiles warm from the start, as a node's eth_call
        // has them (gas-reading code then sees the same costs).
        evm.journal.cleanJournal();
        evm.transientStorage.clear();
        for (const warm of [ZERO_ADDRESS, to, header.coinbase, ...evm.precompiles.keys()]) evm.journal.addAlwaysWarmAddress(warm);
        try {
          const result = await evm.runCall({
            block,
            to: createAddressFromString(to),
            caller: createAddressFromString(ZERO_ADDRESS),
            origin: createAddressFromString(ZERO_ADDRESS),
            data: input,
            // The node's eth_call: the block's gas limit, less the transaction's intrinsic gas.
            gasLimit: header.gasLimit > intrinsicGas(input) ? header.gasLimit - intrinsicGas(input) : 0n,
            gasPrice: 0n,
            value: 0n,
            // eth_call does not spend the caller's nonce; nor does it need the caller's account proven.
            skipNonceIncrement: true,
          });
          const returned = bytesToHex(result.execResult.returnValue).toLowerCase() as Hex;
          const error = result.execResult.exceptionError;
          if (error === undefined) return { ok: true, data: returned };
          // A REVERT carries its data; any other halt (invalid opcode, out of gas) fails without data, as
          // a node's eth_call answers it with an error and no revert data.
          return { ok: false, data: error.error === EVMError.errorMessages.REVERT ? returned : "0x" };
        } catch (error) {
          if (error instanceof UnprovenAccessError) return unproven(error);
          throw error;
        } finally {
          stateManager.resetWrites();
        }
      });
      answers.set(key, answer);
      // An error (not an answer) is not kept: asking again tries again.
      answer.catch(() => answers.delete(key));
      return answer;
    },
    async getCode(address: Address) {
      try {
        return bytesToHex(await stateManager.getCode(createAddressFromString(address))).toLowerCase() as Hex;
      } catch (error) {
        if (error instanceof UnprovenAccessError) return unproven(error);
        throw error;
      }
    },
  };
}
