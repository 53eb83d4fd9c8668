import type { Address, Chain, Hex, PublicClient, Transport } from "viem";

import { VermilionError } from "../../errors/VermilionError.js";

/**
 * The two statements an issuer's wallet signs (EIP-712), defined once: the server builds what it
 * serves from here and verifies what it receives against the same definition.
 */
export const issuerTypes = {
  IssuerRegistration: [
    { name: "name", type: "string" },
    { name: "account", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
  IssuerCustodyTransfer: [
    { name: "issuerId", type: "string" },
    { name: "account", type: "address" },
    { name: "keepOperatingKey", type: "bool" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export type IssuerStatement = keyof typeof issuerTypes;

/** A signature is good for at most this long ahead: a leaked one cannot be replayed for long. */
export const MAX_DEADLINE_AHEAD_SECONDS = 24 * 60 * 60;

export interface IssuerTypedDataDomain {
  chainId: number;
  /** The factory: a statement for one deployment is worthless to another. */
  factoryAddress: Address;
}

export interface IssuerRegistrationMessage {
  name: string;
  account: Address;
  deadline: bigint;
}

export interface IssuerCustodyTransferMessage {
  issuerId: string;
  account: Address;
  keepOperatingKey: boolean;
  deadline: bigint;
}

type MessageOf<Statement extends IssuerStatement> = Statement extends "IssuerRegistration"
  ? IssuerRegistrationMessage
  : IssuerCustodyTransferMessage;

/** The EIP-712 domain of both statements. */
export function issuerDomain(parameters: IssuerTypedDataDomain) {
  return { name: "Vermilion", version: "1", chainId: parameters.chainId, verifyingContract: parameters.factoryAddress } as const;
}

/** The typed data of a statement, as viem signs and verifies it. */
export function buildIssuerTypedData<Statement extends IssuerStatement>(
  domain: IssuerTypedDataDomain,
  primaryType: Statement,
  message: MessageOf<Statement>,
) {
  return {
    domain: issuerDomain(domain),
    types: { [primaryType]: issuerTypes[primaryType] } as Pick<typeof issuerTypes, Statement>,
    primaryType,
    message,
  };
}

/**
 * The typed data as JSON for a wallet's `eth_signTypedData_v4`: integers as decimal strings, and the
 * EIP712Domain type spelled out (wallets need it; viem derives it).
 */
export function issuerTypedDataJson<Statement extends IssuerStatement>(
  domain: IssuerTypedDataDomain,
  primaryType: Statement,
  message: MessageOf<Statement>,
) {
  return {
    domain: { ...issuerDomain(domain), chainId: String(domain.chainId) },
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      [primaryType]: issuerTypes[primaryType],
    },
    primaryType,
    message: { ...message, deadline: message.deadline.toString() },
  };
}

/**
 * Refuses a deadline already past (ISSUER_SIGNATURE_EXPIRED) or more than a day ahead
 * (VALIDATION_FAILED naming `field`).
 */
export function checkDeadline(parameters: { statement: IssuerStatement; deadline: bigint; field: string; nowSeconds?: number }): void {
  const now = BigInt(parameters.nowSeconds ?? Math.floor(Date.now() / 1000));
  if (parameters.deadline <= now) {
    throw new VermilionError("ISSUER_SIGNATURE_EXPIRED", { statement: parameters.statement, deadline: parameters.deadline.toString() });
  }
  if (parameters.deadline > now + BigInt(MAX_DEADLINE_AHEAD_SECONDS)) {
    throw new VermilionError("VALIDATION_FAILED", { field: parameters.field, reason: "must be at most 86400 seconds ahead" });
  }
}

export interface VerifyIssuerStatementParameters<Statement extends IssuerStatement> {
  domain: IssuerTypedDataDomain;
  primaryType: Statement;
  message: MessageOf<Statement>;
  signature: Hex;
  /** Where the deadline came from, for VALIDATION_FAILED (`body.deadline`). */
  deadlineField: string;
}

/**
 * Checks that `message.account` signed the statement before its deadline: an EOA's signature by
 * recovery, a smart wallet's by ERC-1271 (viem's `verifyTypedData` asks the chain when recovery does
 * not match). Throws ISSUER_SIGNATURE_EXPIRED, VALIDATION_FAILED or ISSUER_SIGNATURE_INVALID.
 */
export async function verifyIssuerStatement<Statement extends IssuerStatement>(
  deps: { publicClient: PublicClient<Transport, Chain> },
  parameters: VerifyIssuerStatementParameters<Statement>,
): Promise<void> {
  const { primaryType, message } = parameters;
  checkDeadline({ statement: primaryType, deadline: message.deadline, field: parameters.deadlineField });
  const typedData = buildIssuerTypedData(parameters.domain, primaryType, message);
  let valid: boolean;
  try {
    valid = await deps.publicClient.verifyTypedData({
      ...(typedData as unknown as Parameters<PublicClient["verifyTypedData"]>[0]),
      address: message.account,
      signature: parameters.signature,
      // Recovery first (no RPC for the common case); the chain is asked only for contract wallets.
      mode: "eoa",
    });
  } catch (cause) {
    // A malformed signature ends here too: it cannot be anyone's.
    if ((cause as { name?: string }).name?.startsWith("InvalidSignature") || /signature/i.test((cause as Error).message ?? "")) {
      valid = false;
    } else {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    }
  }
  if (!valid) throw new VermilionError("ISSUER_SIGNATURE_INVALID", { account: message.account, statement: primaryType });
}
