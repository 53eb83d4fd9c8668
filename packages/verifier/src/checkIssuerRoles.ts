import type { Address, Hex } from "viem";
import type { VerificationSession } from "./createVerificationSession.js";
import type { CheckResult, ReportIssuer } from "./report.js";

import { getAddress } from "viem";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { readContract } from "./readContract.js";
import { failed, passed } from "./report.js";
import { DEFAULT_ADMIN_ROLE, DEPLOYER_ROLE, ISSUER_ROLE, readRoleHistory } from "./roleHistory.js";

export interface CheckIssuerRolesReturnType {
  issuer: ReportIssuer;
  /** `issuer.admin` then `issuer.platformKey`. */
  checks: [CheckResult, CheckResult];
}

/** What the factory's CollectionCreated said, as `contract.identity` cites it. */
interface CollectionCreatedEvidence {
  transactionHash: Hex;
  admin: Address;
  issuer: Address;
}

/**
 * Names the collection's issuer from the chain alone and checks the roles behind the name:
 * 1. The issuer is the account holding DEFAULT_ADMIN_ROLE at the pinned block, per the collection's role
 *    logs: the admin the factory named at creation while it still holds the role, else the latest granted.
 * 2. `issuer.admin`: that account holds the role at the pinned block (a `hasRole` read, which the logs
 *    must agree with); nobody holding it fails ISSUER_NO_ADMIN.
 * 3. `issuer.platformKey`: the platform's key, that is the sender of the collection's creation through the
 *    factory and every holder of the factory's DEPLOYER_ROLE, holds neither DEFAULT_ADMIN_ROLE nor
 *    ISSUER_ROLE on the collection at the pinned block; otherwise the platform, not an issuer of its own,
 *    controls the collection (PLATFORM_KEY_HOLDS_ROLE).
 * Call it only after `contract.identity` passed.
 */
export async function checkIssuerRoles(session: VerificationSession): Promise<CheckIssuerRolesReturnType> {
  const { chain, factory } = session.deps;
  const block = chain.pinnedBlock.number;
  const contract = session.contract;
  const identity = await session.identity();
  const created = identity.check.evidence.collectionCreated as CollectionCreatedEvidence;
  const roles = await session.roles();

  const admins = roles.holders(DEFAULT_ADMIN_ROLE);
  const createdAdmin = getAddress(created.admin);
  const issuerAddress = admins.includes(createdAdmin) ? createdAdmin : (admins.at(-1) ?? null);
  const hasRole = async (role: Hex, account: Address) => {
    const read = await readContract(chain, { address: contract, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });
    return read.ok && read.value;
  };

  const adminEvidence: Record<string, unknown> = {
    issuer: issuerAddress,
    admins,
    issuingKeys: roles.holders(ISSUER_ROLE),
    collectionCreated: { transactionHash: created.transactionHash, admin: createdAdmin, issuer: getAddress(created.issuer) },
    // The admin role's grants and revocations, cited; the issuing role's are cited per mint (`mint.operator`).
    adminChanges: roles.changes.filter((change) => change.role === DEFAULT_ADMIN_ROLE),
  };
  let adminCheck: CheckResult;
  if (issuerAddress === null) {
    adminCheck = failed(
      "issuer.admin",
      "ISSUER_NO_ADMIN",
      `No account holds DEFAULT_ADMIN_ROLE on ${contract} at block ${block} (per its RoleGranted and RoleRevoked logs): the collection has no issuer to name.`,
      adminEvidence,
    );
  } else if (!(await hasRole(DEFAULT_ADMIN_ROLE, issuerAddress))) {
    adminCheck = failed(
      "issuer.admin",
      "ISSUER_NOT_ADMIN",
      `The role logs of ${contract} name ${issuerAddress} as its admin, but hasRole(DEFAULT_ADMIN_ROLE, ${issuerAddress}) is false at block ${block}.`,
      adminEvidence,
    );
  } else {
    adminCheck = passed("issuer.admin", `${issuerAddress} holds DEFAULT_ADMIN_ROLE on ${contract} at block ${block}: it is the collection's issuer.`, adminEvidence);
  }

  const platform = await session.platformKeys();
  const holding: Array<{ account: Address; roles: string[]; why: string[] }> = [];
  for (const key of platform) {
    const held: string[] = [];
    if (await hasRole(DEFAULT_ADMIN_ROLE, key.account)) held.push("DEFAULT_ADMIN_ROLE");
    if (await hasRole(ISSUER_ROLE, key.account)) held.push("ISSUER_ROLE");
    if (held.length > 0) holding.push({ account: key.account, roles: held, why: key.why });
  }
  const platformEvidence = { factory: getAddress(factory), platformKeys: platform, holding };
  let platformCheck: CheckResult;
  const first = holding[0];
  if (first) {
    const isAdmin = issuerAddress !== null && first.account === issuerAddress;
    platformCheck = failed(
      "issuer.platformKey",
      "PLATFORM_KEY_HOLDS_ROLE",
      `The platform's key ${first.account} (${first.why.join("; ")}) holds ${first.roles.join(" and ")} on ${contract} at block ${block}` +
        `${isAdmin ? ", so the collection's admin is the platform's key" : ""}: the platform, not an issuer's own address, controls this collection.`,
      platformEvidence,
    );
  } else {
    platformCheck = passed(
      "issuer.platformKey",
      `None of the platform's ${platform.length} key${platform.length === 1 ? "" : "s"} (${platform.map((key) => key.account).join(", ")}) holds DEFAULT_ADMIN_ROLE or ISSUER_ROLE on ${contract} at block ${block}.`,
      platformEvidence,
    );
  }
  return { issuer: { address: issuerAddress }, checks: [adminCheck, platformCheck] };
}

/** The platform's keys as the chain shows them, each with why it counts as one. */
export async function readPlatformKeys(session: VerificationSession): Promise<Array<{ account: Address; why: string[] }>> {
  const { chain } = session.deps;
  const factory = getAddress(session.deps.factory);
  const identity = await session.identity();
  const created = identity.check.evidence.collectionCreated as CollectionCreatedEvidence;
  const keys = new Map<Address, string[]>();
  const add = (account: Address, why: string) => keys.set(getAddress(account), [...(keys.get(getAddress(account)) ?? []), why]);
  const creation = await chain.getTransaction(created.transactionHash);
  if (creation) add(creation.from, `it sent the collection's creation ${created.transactionHash}`);
  const factoryRoles = await readRoleHistory(chain, { address: factory, fromBlock: session.deps.factoryFromBlock ?? 0n });
  for (const account of factoryRoles.holders(DEPLOYER_ROLE)) add(account, `it holds DEPLOYER_ROLE on the factory ${factory}`);
  return [...keys.entries()].map(([account, why]) => ({ account, why }));
}
