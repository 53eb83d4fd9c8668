import type { Database } from "../db/Database.js";
import type { Lease } from "./createLeaseKeeper.js";

const WRITE_STATEMENT = /^\s*(INSERT|UPDATE|DELETE|WITH)\b/i;

/**
 * The database as a lease holder must use it: every transaction first checks, in that transaction,
 * that the lease is still held at the same epoch (the fencing token), and a single write statement
 * outside a transaction is run as such a transaction. Reads pass through. A deposed holder's writes
 * are therefore refused with LEASE_LOST, whatever it still believes.
 */
export function fencedDatabase(db: Database, lease: Pick<Lease, "assertHeld">): Database {
  const transaction: Database["transaction"] = (work) =>
    db.transaction(async (tx) => {
      await lease.assertHeld(tx);
      return work(tx);
    });
  return {
    kind: db.kind,
    transaction,
    query<Row = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]) {
      return WRITE_STATEMENT.test(sql) ? transaction((tx) => tx.query<Row>(sql, parameters)) : db.query<Row>(sql, parameters);
    },
    exec: (sql) => db.exec(sql),
    withAdvisoryLock: (key, work) => db.withAdvisoryLock(key, work),
    // The holder does not own the connection: whoever opened the database closes it.
    close: async () => {},
  };
}
