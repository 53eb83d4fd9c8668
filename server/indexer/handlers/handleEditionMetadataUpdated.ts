import type { EventHandler } from "../types.js";

import { updateEdition } from "./updateEdition.js";

/** EditionMetadataUpdated: the edition's metadata directory moved to a new CID. */
export const handleEditionMetadataUpdated: EventHandler = async (context, log) => {
  const { editionId, metadataCid } = log.args as { editionId: bigint; metadataCid: string };
  await updateEdition(context, log, editionId, "metadata_cid = $4", [metadataCid]);
};
