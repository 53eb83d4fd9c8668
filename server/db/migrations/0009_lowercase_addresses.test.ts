import { randomUUID } from "node:crypto";

import { getAddress } from "viem";
import { afterEach, describe, expect, test } from "vitest";

import { openTestDatabase, type TestDatabase } from "../../../test/support/openTestDatabase.js";
import { migrate } from "../migrate.js";

const collection = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const alice = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const bob = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
const signer = getAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");

/** Platform rows as versions before 0009 wrote them: every address checksummed. */
async function writeChecksummedRows(db: TestDatabase["db"]) {
  const jobId = randomUUID();
  const { rows } = await db.query<{ issuer_id: string }>("INSERT INTO issuers (name) VALUES ('Issuer') RETURNING issuer_id");
  const issuerId = rows[0]!.issuer_id;
  await db.query("INSERT INTO deployments (chain_id, contract_name, address) VALUES (31337, 'VermilionFactory', $1)", [signer]);
  await db.query(
    `INSERT INTO collections (collection_id, chain_id, issuer_id, address, salt, name, symbol, status)
     VALUES ($1, 31337, $2, $3, '0x01', 'Collection', 'COL', 'deployed')`,
    [randomUUID(), issuerId, collection],
  );
  await db.query(
    `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state)
     VALUES ($1, 31337, $2, $3, 1, 'airdrop', 'key', 'sha', 3, 'sending')`,
    [jobId, issuerId, collection],
  );
  await db.query("INSERT INTO mint_chunks (job_id, chunk_index, recipient, quantity, state) VALUES ($1, 0, $2, 1, 'sent')", [jobId, alice]);
  await db.query("INSERT INTO mint_chunks (job_id, chunk_index, quantity, recipients, state) VALUES ($1, 1, 2, $2::jsonb, 'pending')", [
    jobId,
    JSON.stringify([alice, bob]),
  ]);
  await db.query(
    `INSERT INTO chain_transactions (tx_hash, chain_id, sender, nonce, job_id, chunk_index, raw_transaction, max_fee_per_gas, max_priority_fee_per_gas, state)
     VALUES ('0xaa', 31337, $1, 0, $2, 0, '0x', 1, 1, 'broadcast')`,
    [signer, jobId],
  );
  await db.query(
    `INSERT INTO editions (chain_id, collection_address, edition_id, name, description, max_supply, media_cid, media_type, media_sha256,
       metadata_cid, royalty_receiver, royalty_bps, transfer_policy, hold_seconds, license, attributes, tx_hash)
     VALUES (31337, $1, 1, 'Edition', '', 3, 'cid', 'image/png', 'sha', 'cid', $2, 0, 'free', 0, 'CC0', '[]', '0xbb')`,
    [collection, bob],
  );
  await db.query(
    `INSERT INTO issued_vouchers (chain_id, collection_address, edition_id, nonce, recipient, quantity, deadline, issuer_id)
     VALUES (31337, $1, 1, 7, $2, 1, 1700000000, $3)`,
    [collection, alice, issuerId],
  );
}

describe.each(["pglite", "postgres"] as const)("migration 0009_lowercase_addresses on %s", (engine) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
  });

  test("lowercases every address the platform tables stored checksummed", async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await db.query("DELETE FROM schema_migrations WHERE name = '0009_lowercase_addresses'");
    await writeChecksummedRows(db);

    expect((await migrate(db)).applied).toEqual(["0009_lowercase_addresses"]);

    const single = async (sql: string) => (await db.query(sql)).rows;
    expect(await single("SELECT address FROM deployments")).toEqual([{ address: signer.toLowerCase() }]);
    expect(await single("SELECT address FROM collections")).toEqual([{ address: collection.toLowerCase() }]);
    expect(await single("SELECT collection_address FROM mint_jobs")).toEqual([{ collection_address: collection.toLowerCase() }]);
    expect(await single("SELECT recipient, recipients FROM mint_chunks ORDER BY chunk_index")).toEqual([
      { recipient: alice.toLowerCase(), recipients: null },
      { recipient: null, recipients: [alice.toLowerCase(), bob.toLowerCase()] },
    ]);
    expect(await single("SELECT sender FROM chain_transactions")).toEqual([{ sender: signer.toLowerCase() }]);
    expect(await single("SELECT collection_address, royalty_receiver FROM editions")).toEqual([
      { collection_address: collection.toLowerCase(), royalty_receiver: bob.toLowerCase() },
    ]);
    expect(await single("SELECT collection_address, recipient FROM issued_vouchers")).toEqual([
      { collection_address: collection.toLowerCase(), recipient: alice.toLowerCase() },
    ]);
  });
});
