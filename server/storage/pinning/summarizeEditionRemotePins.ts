import type { EditionRemotePinningView, RemotePinStatusView } from "../../views/editionView.js";
import type { EditionContentCids } from "./recordEditionRemotePins.js";

import { EDITION_CID_ROLES } from "./recordEditionRemotePins.js";

/** A remote_pins row as the edition query returns it (json_build_object). */
export interface RemotePinJson {
  cid: string;
  state: RemotePinStatusView;
  attempts: number;
  errorCode: string | null;
  updatedAt: string;
}

/** Least advanced first: the edition's status is the first of these any of its pins has. */
const STATUS_ORDER: readonly RemotePinStatusView[] = ["rejected", "failed", "pending", "queued", "pinning", "pinned"];

/**
 * The edition's remote pinning as the API shows it: each CID's pin by role, and one status, the least
 * advanced of them (pinned only once every CID is). A CID with no row yet shows as pending.
 */
export function summarizeEditionRemotePins(cids: EditionContentCids, rows: readonly RemotePinJson[]): EditionRemotePinningView {
  const byCid = new Map(rows.map((row) => [row.cid, row]));
  const pins = EDITION_CID_ROLES.flatMap((role) => {
    const cid = cids[role];
    if (cid === null) return [];
    const row = byCid.get(cid);
    return [
      {
        role,
        cid,
        status: row?.state ?? "pending",
        attempts: row?.attempts ?? 0,
        errorCode: row?.errorCode ?? null,
        updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
      },
    ];
  });
  const status = STATUS_ORDER.find((candidate) => pins.some((pin) => pin.status === candidate)) ?? "pending";
  return { status, pins };
}
