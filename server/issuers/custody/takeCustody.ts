import type { Address, Hex } from "viem";
import type { CustodyDeps, CustodyTransferRow, FinishCustodyTransferReturnType } from "./finishCustodyTransfer.js";

import { toStoredAddress } from "../../chain/toStoredAddress.js";
import { VermilionError } from "../../errors/VermilionError.js";
import { assertAddressFree } from "../createIssuer.js";
import { verifyIssuerStatement } from "../registration/issuerTypedData.js";
import { CUSTODY_TRANSFER_COLUMNS, describeCompletedTransfer, finishCustodyTransfer } from "./finishCustodyTransfer.js";

export type TakeCustodyDeps = CustodyDeps & { factoryAddress: Address };

export interface TakeCustodyParameters {
  issuerId: string;
  /** The issuer's own wallet, the new admin of its collections. */
  account: Address;
  /** Whether the platform's operating key keeps the issuing role (the issuer's grant back to the platform). */
  keepOperatingKey: boolean;
  deadline: bigint;
  /** `account`'s EIP-712 signature of the IssuerCustodyTransfer statement. */
  signature: Hex;
}

export type TakeCustodyReturnType = FinishCustodyTransferReturnType;

/**
 * A custodial issuer takes custody: its wallet's signed statement is verified and recorded before
 * anything is sent, then `finishCustodyTransfer` moves every collection's admin role to the wallet.
 * Idempotent: the same signed statement again resumes an interrupted transfer or answers a finished one.
 * Throws ISSUER_SIGNATURE_* (bad statement), ISSUER_ADDRESS_TAKEN (the wallet is another issuer's or a
 * platform key), CUSTODY_ALREADY_SELF (the issuer already holds custody).
 */
export async function takeCustody(deps: TakeCustodyDeps, parameters: TakeCustodyParameters): Promise<TakeCustodyReturnType> {
  const { db, chain } = deps;
  const account = toStoredAddress(parameters.account) as Address;
  const signature = parameters.signature.toLowerCase();
  const recorded = async (): Promise<CustodyTransferRow[]> =>
    (
      await db.query<CustodyTransferRow>(
        `SELECT ${CUSTODY_TRANSFER_COLUMNS} FROM custody_transfers WHERE issuer_id = $1 AND chain_id = $2 ORDER BY created_at DESC`,
        [parameters.issuerId, BigInt(chain.chainId)],
      )
    ).rows;

  // 1. This very statement was recorded before: finish it, or answer it again.
  // 2. Another transfer is under way: it is finished first, so this one finds the issuer in custody.
  const earlier = await recorded();
  const same = earlier.find((transfer) => transfer.signature === signature);
  if (same) return same.state === "completed" ? describeCompletedTransfer(deps, same) : finishCustodyTransfer(deps, same);
  const pending = earlier.find((transfer) => transfer.state === "pending");
  if (pending) await finishCustodyTransfer(deps, pending);

  const { rows } = await db.query<{ custody: string; address: Address; operating_address: Address }>(
    "SELECT custody, address, operating_address FROM issuers WHERE issuer_id = $1",
    [parameters.issuerId],
  );
  const issuer = rows[0];
  if (!issuer) throw new VermilionError("NOT_FOUND", { resource: `issuer ${parameters.issuerId}` });
  if (issuer.custody === "self") throw new VermilionError("CUSTODY_ALREADY_SELF", { issuerId: parameters.issuerId, address: issuer.address });

  await verifyIssuerStatement(
    { publicClient: chain.publicClient },
    {
      domain: { chainId: chain.chainId, factoryAddress: deps.factoryAddress },
      primaryType: "IssuerCustodyTransfer",
      message: { issuerId: parameters.issuerId, account, keepOperatingKey: parameters.keepOperatingKey, deadline: parameters.deadline },
      signature: parameters.signature,
      deadlineField: "body.deadline",
    },
  );
  // The wallet must be nobody's key yet: not this issuer's own platform-held keys, another issuer's, or the platform's.
  await assertAddressFree(db, account, chain.walletClient.account.address);

  const transfer = await db.transaction(async (tx) => {
    // The issuer row is locked so a collection being created sees either no transfer (and the transfer
    // moves it) or this one (and names the wallet as its admin): see createCollection.
    const locked = await tx.query<{ custody: string; address: Address }>("SELECT custody, address FROM issuers WHERE issuer_id = $1 FOR UPDATE", [
      parameters.issuerId,
    ]);
    if (locked.rows[0]!.custody === "self") {
      throw new VermilionError("CUSTODY_ALREADY_SELF", { issuerId: parameters.issuerId, address: locked.rows[0]!.address });
    }
    const inserted = await tx.query<CustodyTransferRow>(
      `INSERT INTO custody_transfers (chain_id, issuer_id, account, keep_operating_key, deadline, signature, custodial_admin, operating_address, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')
       ON CONFLICT (issuer_id) WHERE state = 'pending' DO NOTHING
       RETURNING ${CUSTODY_TRANSFER_COLUMNS}`,
      [
        BigInt(chain.chainId),
        parameters.issuerId,
        account,
        parameters.keepOperatingKey,
        parameters.deadline.toString(),
        signature,
        locked.rows[0]!.address,
        issuer.operating_address,
      ],
    );
    return inserted.rows[0];
  });
  // Another request recorded a transfer between the reads above and this insert: finish that one.
  if (!transfer) return takeCustody(deps, parameters);
  return finishCustodyTransfer(deps, transfer);
}
