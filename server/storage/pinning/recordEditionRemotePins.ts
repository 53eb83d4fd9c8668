import type { Queryable } from "../../db/Database.js";

/** The CIDs an edition stores, by role: what remote pinning keeps alive. */
export interface EditionContentCids {
  media: string;
  thumbnail: string | null;
  poster: string | null;
  metadata: string;
  localizedMetadata: string | null;
}

/** The roles in the order the edition view lists them, with the name each gives its pin. */
export const EDITION_CID_ROLES = ["media", "thumbnail", "poster", "metadata", "localizedMetadata"] as const;
export type EditionCidRole = (typeof EDITION_CID_ROLES)[number];

/**
 * Records a remote pin (state pending) for each of an edition's CIDs not tracked yet; a CID another
 * edition already stored keeps its row. Written with the edition's row, so no edition is left unpinned
 * by a crash; the request itself is made later by the remote pinner and never delays the edition.
 */
export async function recordEditionRemotePins(
  db: Queryable,
  parameters: { chainId: number; collection: string; editionId: bigint; cids: EditionContentCids },
): Promise<void> {
  const cids: string[] = [];
  const names: string[] = [];
  for (const role of EDITION_CID_ROLES) {
    const cid = parameters.cids[role];
    if (cid === null) continue;
    cids.push(cid);
    names.push(`vermilion:${parameters.chainId}:${parameters.collection.toLowerCase()}:${parameters.editionId}:${role}`);
  }
  await db.query(
    `INSERT INTO remote_pins (cid, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (cid) DO NOTHING`,
    [cids, names],
  );
}
