import type { EventHandler } from "../types.js";

import { updateEdition } from "./updateEdition.js";

/** EditionSealed: no more serials, by the last mint or closed early by the issuer. */
export const handleEditionSealed: EventHandler = async (context, log) => {
  const { editionId, closedEarly } = log.args as { editionId: bigint; closedEarly: boolean };
  await updateEdition(context, log, editionId, "sealed = true, closed_early = $4", [closedEarly]);
};
