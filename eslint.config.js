import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Why packages/verifier imports nothing of the platform (the rule below says it on every offending import). */
const VERIFIER_IS_SELF_CONTAINED =
  "vermilion-verify is the auditor's standalone package: it runs from an RPC endpoint and IPFS bytes alone, installed without this repository and in browsers, so it may import nothing outside packages/verifier (no server/, web/), no express, pg or PGlite, and no node: built-ins outside its CLI. Platform adapters go in server/audit.";

export default tseslint.config(
  { ignores: ["node_modules/", "artifacts/", "cache/", "types/", "coverage/", "data/", "web/dist/", "server/chain/abis/", "packages/verifier/src/abis/", "packages/verifier/dist/", "**/*.tgz", "bench/peers/"] },
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
    // packages/verifier/src/verifierIsSelfContained.test.ts walks the whole import graph; this catches a direct
    // import while it is being typed.
    files: ["packages/verifier/src/**"],
    ignores: ["packages/verifier/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["express", "pg", "@electric-sql/pglite"].map((name) => ({ name, message: VERIFIER_IS_SELF_CONTAINED })),
          patterns: [
            { group: ["express/*", "pg/*", "@electric-sql/pglite/*"], message: VERIFIER_IS_SELF_CONTAINED },
            { regex: "^(?:\\.\\./)+(?:server|web|test|scripts|bench)/", message: VERIFIER_IS_SELF_CONTAINED },
            { regex: "^node:", message: VERIFIER_IS_SELF_CONTAINED },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/verifier/src/cli/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
