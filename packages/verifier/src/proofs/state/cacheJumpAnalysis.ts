/**
 * @ethereumjs/evm analyses a contract's code for jump destinations on every message that runs it: for our
 * ~20 KB implementation that is most of an offline view call's time (about 5 of 8 ms), and a 10,000-serial
 * edition makes tens of thousands of calls into the same code. The analysis depends only on the code bytes
 * and the EVM's Common (its opcode table), so this memoises it per Common and per code array, for the
 * EVMs registered here only (every other EVM in the process runs the library's own code path).
 *
 * The Interpreter class is not exported; its prototype is reached through the `runState.interpreter` of a
 * result (ExecResult.runState): of a STOP run once in a scratch EVM, before the first proven call (a call
 * cut short as unproven returns no result, and the collector's first rounds are all such calls).
 */

import { createEVM } from "@ethereumjs/evm";

interface JumpAnalysis {
  jumps: Uint8Array;
  pushes: Record<number, bigint>;
  opcodesCached: unknown[];
}

interface InterpreterLike {
  common: object;
  _getValidJumpDestinations(code: Uint8Array): JumpAnalysis;
}

const registeredCommons = new WeakSet<object>();
const analyses = new WeakMap<object, WeakMap<Uint8Array, JumpAnalysis>>();
const patchedPrototypes = new WeakSet<object>();

/** Memoises jump analysis for EVMs built on `common` (whose code arrays are never mutated). */
export function registerCommonForJumpAnalysisCache(common: object): void {
  registeredCommons.add(common);
}

let installed: Promise<void> | undefined;

/** Installs the memo on @ethereumjs/evm's Interpreter prototype, once per process. */
export function ensureJumpAnalysisCache(): Promise<void> {
  installed ??= createEVM().then(async (scratch) => {
    const result = await scratch.runCode({ code: Uint8Array.of(0x00), gasLimit: 100n });
    installJumpAnalysisCache(result.runState?.interpreter);
  });
  return installed;
}

/** Installs the memo on the Interpreter prototype behind `interpreter`, once; a no-op if the shape is not the one expected. */
function installJumpAnalysisCache(interpreter: unknown): void {
  if (typeof interpreter !== "object" || interpreter === null) return;
  const prototype = Object.getPrototypeOf(interpreter) as Partial<InterpreterLike> | null;
  if (!prototype || patchedPrototypes.has(prototype) || typeof prototype._getValidJumpDestinations !== "function") return;
  const original = prototype._getValidJumpDestinations;
  prototype._getValidJumpDestinations = function (this: InterpreterLike, code: Uint8Array): JumpAnalysis {
    if (!registeredCommons.has(this.common)) return original.call(this, code);
    let byCode = analyses.get(this.common);
    if (!byCode) {
      byCode = new WeakMap();
      analyses.set(this.common, byCode);
    }
    let analysis = byCode.get(code);
    if (!analysis) {
      analysis = original.call(this, code);
      byCode.set(code, analysis);
    }
    return analysis;
  };
  patchedPrototypes.add(prototype);
}
