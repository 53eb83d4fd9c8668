import type { EventHandler } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";

/** RoleGranted / RoleRevoked, on the factory or a collection: who holds which role. */
export const handleRoleChanged: EventHandler = async (context, log) => {
  const { role, account } = log.args as { role: string; account: string };
  const key = { chain_id: context.chainId, contract: log.address, role: role.toLowerCase(), account };
  await recordUndo(context, log, "indexer_roles", key);
  await context.tx.query(
    `INSERT INTO indexer_roles (chain_id, contract, role, account, granted) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (chain_id, contract, role, account) DO UPDATE SET granted = EXCLUDED.granted`,
    [context.chainId, log.address, key.role, account, log.eventName === "RoleGranted"],
  );
};
