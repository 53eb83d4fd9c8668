import { TypedDataEncoder } from "ethers";
import { hashTypedData, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";

import { isVermilionError } from "../../errors/VermilionError.js";
import { buildIssuerTypedData, checkDeadline, issuerTypedDataJson, MAX_DEADLINE_AHEAD_SECONDS } from "./issuerTypedData.js";

const domain = { chainId: 31337, factoryAddress: "0x5fbdb2315678afecb367f032d93f642f64180aa3" as const };

function codeOf(work: () => void): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return isVermilionError(error) ? error.code : "not a VermilionError";
  }
}

describe("issuerTypedData", () => {
  it("serves JSON that an independent EIP-712 encoder (ethers) hashes as viem hashes the statement the server verifies", () => {
    const registration = { name: "敦煌研究院", account: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" as const, deadline: 1_900_000_000n };
    const custody = { issuerId: "7c1e3e4e-0b7a-4f4e-9b1a-3f7d2a9c0e11", account: zeroAddress, keepOperatingKey: true, deadline: 1_900_000_000n };
    for (const [primaryType, message] of [
      ["IssuerRegistration", registration],
      ["IssuerCustodyTransfer", custody],
    ] as const) {
      const served = issuerTypedDataJson(domain, primaryType, message as never);
      const { EIP712Domain: _domainType, ...types } = served.types;
      const theirs = TypedDataEncoder.hash(served.domain, types as never, served.message);
      expect(hashTypedData(buildIssuerTypedData(domain, primaryType, message as never) as never)).toBe(theirs);
    }
  });

  it("refuses a deadline now or past (ISSUER_SIGNATURE_EXPIRED) and one more than a day ahead (VALIDATION_FAILED)", () => {
    const nowSeconds = 1_800_000_000;
    const check = (deadline: number) => () => checkDeadline({ statement: "IssuerRegistration", deadline: BigInt(deadline), field: "body.deadline", nowSeconds });
    expect(codeOf(check(nowSeconds))).toBe("ISSUER_SIGNATURE_EXPIRED");
    expect(codeOf(check(nowSeconds + 1))).toBeUndefined();
    expect(codeOf(check(nowSeconds + MAX_DEADLINE_AHEAD_SECONDS))).toBeUndefined();
    expect(codeOf(check(nowSeconds + MAX_DEADLINE_AHEAD_SECONDS + 1))).toBe("VALIDATION_FAILED");
  });
});
