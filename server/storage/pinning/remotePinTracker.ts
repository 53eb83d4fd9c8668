import { CID } from "multiformats/cid";
import { z } from "zod";

import { createCidRecordDirectory } from "../createCidRecordDirectory.js";
import { remotePinStatuses, type PinningServiceClient, type RemotePinStatus } from "./pinningServiceClient.js";

const recordSchema = z.object({
  cid: z.string(),
  name: z.string(),
  requestId: z.string(),
  status: z.enum(remotePinStatuses),
  requestedAt: z.string(),
  updatedAt: z.string(),
});

export type RemotePinRecord = z.output<typeof recordSchema>;

export type RemotePinTracker = {
  /** Ask the service to pin `cid`; a CID already queued, pinning or pinned is not asked twice. */
  requestPin(params: { cid: CID; name: string; origins?: string[] }): Promise<RemotePinRecord>;
  /** Poll every request still queued or pinning and record what the service now says. */
  refresh(): Promise<RemotePinRecord[]>;
  statusOf(cid: CID): Promise<RemotePinRecord | undefined>;
  list(): Promise<RemotePinRecord[]>;
  /** Withdraw the remote pin and forget it. */
  cancel(cid: CID): Promise<void>;
};

export type CreateRemotePinTrackerParameters = {
  client: PinningServiceClient;
  /** Where request records live (one JSON file per CID), so tracking survives restarts. */
  directory: string;
  now?: () => Date;
};

const inFlight: ReadonlySet<RemotePinStatus> = new Set(["queued", "pinning"]);

/**
 * Tracks pins requested from a remote pinning service through queued → pinning → pinned | failed,
 * on disk, so a restart resumes polling where it left off and a failed request can be retried.
 */
export async function createRemotePinTracker(params: CreateRemotePinTrackerParameters): Promise<RemotePinTracker> {
  const records = await createCidRecordDirectory({ directory: params.directory, schema: recordSchema });
  const now = params.now ?? (() => new Date());
  const save = async (record: RemotePinRecord) => {
    await records.put(CID.parse(record.cid), record);
    return record;
  };

  const tracker: RemotePinTracker = {
    async requestPin({ cid, name, origins }) {
      const existing = await tracker.statusOf(cid);
      if (existing !== undefined && existing.status !== "failed") return existing;
      const response = await params.client.addPin({ cid, name, origins });
      const at = now().toISOString();
      return save({ cid: cid.toString(), name, requestId: response.requestid, status: response.status, requestedAt: at, updatedAt: at });
    },
    async refresh() {
      const updated: RemotePinRecord[] = [];
      for (const record of await tracker.list()) {
        if (!inFlight.has(record.status)) {
          updated.push(record);
          continue;
        }
        const response = await params.client.getPin(record.requestId);
        updated.push(response.status === record.status ? record : await save({ ...record, status: response.status, updatedAt: now().toISOString() }));
      }
      return updated;
    },
    statusOf: (cid) => records.get(cid),
    list: () => records.list(),
    async cancel(cid) {
      const record = await tracker.statusOf(cid);
      if (record === undefined) return;
      await params.client.removePin(record.requestId);
      await records.remove(cid);
    },
  };
  return tracker;
}
