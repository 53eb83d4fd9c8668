import type { EventHandler } from "../types.js";

import { updateEdition } from "./updateEdition.js";

/** EditionMetadataFrozen: the edition's metadata CID can never change again. */
export const handleEditionMetadataFrozen: EventHandler = async (context, log) => {
  const { editionId, metadataCid } = log.args as { editionId: bigint; metadataCid: string };
  await updateEdition(context, log, editionId, "metadata_frozen = true, metadata_cid = $4", [metadataCid]);
};
