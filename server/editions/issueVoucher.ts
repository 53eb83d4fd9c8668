import type { Address, Hex } from "viem";
import type { MintVoucher } from "../chain/mintVoucherTypedData.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Database } from "../db/Database.js";
import type { FindCollectionSignerDeps } from "../issuers/accounts/findCollectionSigner.js";

import { randomBytes } from "node:crypto";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { ISSUER_ROLE } from "../chain/decodeContractError.js";
import { mintVoucherTypedData } from "../chain/mintVoucherTypedData.js";
import { VermilionError } from "../errors/VermilionError.js";
import { findCollectionSigner } from "../issuers/accounts/findCollectionSigner.js";
import { checkEditionSupply } from "../supply/checkEditionSupply.js";
import { lockEditionSupply } from "../supply/lockEditionSupply.js";

export interface IssueVoucherParameters {
  /** The collection's issuer, recorded with the voucher. */
  issuerId: string;
  collection: Address;
  editionId: bigint;
  to: Address;
  quantity: number;
  validForSeconds: number;
}

export interface IssueVoucherReturnType {
  voucher: MintVoucher;
  digest: Hex;
  signature: Hex;
}

/**
 * Signs an EIP-712 mint voucher with the collection's operating key (the contract honours a voucher
 * only while its signer holds the issuing role) and reserves its quantity of the edition's supply until it is
 * redeemed or expires, so every voucher handed out can be honoured (EDITION_SOLD_OUT otherwise).
 * The signature leaves only once the reservation is committed. A key the collection's admin revoked
 * signs nothing: ISSUER_KEY_REVOKED, and no voucher is recorded.
 */
export async function issueVoucher(
  deps: FindCollectionSignerDeps & { db: Database; chain: ChainClients },
  parameters: IssueVoucherParameters,
): Promise<IssueVoucherReturnType> {
  const { db, chain } = deps;
  const signer = await findCollectionSigner(deps, { collection: parameters.collection, role: "issuing" });
  const holdsRole = await chain.publicClient
    .readContract({ address: parameters.collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [ISSUER_ROLE, signer.account.address] })
    .catch((cause: unknown) => {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    });
  if (!holdsRole) {
    throw new VermilionError("ISSUER_KEY_REVOKED", { operatingKey: signer.account.address, collection: parameters.collection });
  }
  const latest = await chain.publicClient.getBlock({ blockTag: "latest" }).catch((cause: unknown) => {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
  });
  const voucher = {
    editionId: parameters.editionId,
    to: parameters.to,
    quantity: BigInt(parameters.quantity),
    // 128 random bits: collisions are out of reach, and the contract refuses a reused nonce anyway.
    nonce: BigInt(`0x${randomBytes(16).toString("hex")}`),
    deadline: latest.timestamp + BigInt(parameters.validForSeconds),
  };
  const signature = await signer.account.signTypedData(mintVoucherTypedData(chain.chainId, parameters.collection, voucher));
  const digest = await chain.publicClient
    .readContract({ address: parameters.collection, abi: vermilionCollectionAbi, functionName: "voucherDigest", args: [voucher] })
    .catch((cause: unknown) => {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    });
  await db.transaction(async (tx) => {
    await lockEditionSupply(tx, chain.chainId, parameters.collection, parameters.editionId);
    await checkEditionSupply(tx, chain, { collection: parameters.collection, editionId: parameters.editionId, requested: parameters.quantity });
    await tx.query(
      `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id, signer, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        BigInt(chain.chainId),
        parameters.collection,
        parameters.editionId,
        voucher.nonce.toString(),
        voucher.to,
        voucher.quantity,
        voucher.deadline,
        parameters.issuerId,
        signer.account.address,
        // Kept so the console can show the voucher's link again (server/vouchers/listVouchers.ts).
        signature,
      ],
    );
  });
  return { voucher, digest, signature };
}
