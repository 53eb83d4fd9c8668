import path from "node:path";

import { describe, expect, test } from "vitest";

import { ConfigError } from "../config/loadConfig.js";
import { readKeystore } from "./readKeystore.js";

// The PBKDF2 test vector of the Web3 Secret Storage Definition (password "testpassword").
const vectorPath = path.join(import.meta.dirname, "..", "..", "test", "fixtures", "keystore-v3-pbkdf2.json");

describe("readKeystore", () => {
  test("decrypts the Web3 Secret Storage test vector", async () => {
    expect(await readKeystore(vectorPath, "testpassword")).toBe(
      "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d",
    );
  });

  test("refuses a wrong password as a problem with SIGNER_KEYSTORE_PASSWORD", async () => {
    const error = await readKeystore(vectorPath, "wrong").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.field)).toEqual(["SIGNER_KEYSTORE_PASSWORD"]);
  });

  test("refuses a file that is not a keystore as a problem with SIGNER_KEYSTORE", async () => {
    const error = await readKeystore(import.meta.filename, "x").catch((caught: unknown) => caught);
    expect((error as ConfigError).problems.map((problem) => problem.field)).toEqual(["SIGNER_KEYSTORE"]);
  });
});
