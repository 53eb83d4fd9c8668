import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Why server/verifier may import nothing of the platform (the rule below says it on every offending import). */
const VERIFIER_IS_PLATFORM_FREE =
  "server/verifier is the auditor's standalone library (vermilion-verify): it must run from an RPC endpoint and IPFS bytes alone, so it may not import the platform's database, index, provenance or audit adapters (server/db, server/indexer, server/provenance, server/audit) nor express, pg or PGlite. Platform adapters go in server/audit.";

export default tseslint.config(
  { ignores: ["node_modules/", "artifacts/", "cache/", "types/", "coverage/", "data/", "web/dist/", "server/chain/abis/", "bench/peers/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // server/verifier/verifierIsPlatformFree.test.ts walks the whole import graph; this catches a direct import
    // while it is being typed.
    files: ["server/verifier/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["express", "pg", "@electric-sql/pglite"].map((name) => ({ name, message: VERIFIER_IS_PLATFORM_FREE })),
          patterns: [
            { group: ["express/*", "pg/*", "@electric-sql/pglite/*"], message: VERIFIER_IS_PLATFORM_FREE },
            { regex: "^\\.\\.?/(?:.*/)?(?:db|indexer|provenance|audit)/", message: VERIFIER_IS_PLATFORM_FREE },
          ],
        },
      ],
    },
  },
);
