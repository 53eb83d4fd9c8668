/**
 * `npm run issuers:hand-over`: hands every collection made before issuer accounts (its admin and issuer
 * still the platform's key) over to its issuer: admin = the issuer's address, issuer = its operating
 * key, the platform's key keeps no role (`server/issuers/handOver/handOverCollection.ts`; docs/issuers.md).
 * Reads the server's configuration (DATA_DIR, DATABASE_URL, RPC_URL, SIGNER_*, ISSUER_KEYS_MNEMONIC).
 * With the embedded chain and database (no RPC_URL / DATABASE_URL), stop the server first.
 *
 *   npm run issuers:hand-over -- --dry-run                      # what would be sent, and the open vouchers
 *   npm run issuers:hand-over                                   # refuses a collection with open vouchers
 *   npm run issuers:hand-over -- --accept-open-vouchers-void    # … which then become void
 *   npm run issuers:hand-over -- --collection 0x…               # one collection only
 *
 * Idempotent: a rerun skips what the chain already shows done. Exit codes: 0 every collection handed
 * over (or planned), 1 some refused (the output says why), 2 bad arguments.
 */
import type { Address } from "viem";

import { parseArgs } from "node:util";

import pino from "pino";
import { isAddress } from "viem";

import { toStoredAddress } from "../server/chain/toStoredAddress.js";
import { createWriteLocks } from "../server/cluster/createWriteLock.js";
import { loadConfig } from "../server/config/loadConfig.js";
import { findCollectionsToHandOver } from "../server/issuers/handOver/findCollectionsToHandOver.js";
import { handOverCollection } from "../server/issuers/handOver/handOverCollection.js";
import { createShutdownStack } from "../server/startup/createShutdownStack.js";
import { openChain } from "../server/startup/openChain.js";
import { openDatabase } from "../server/startup/openDatabase.js";
import { openIssuerKeyring } from "../server/startup/openIssuerKeyring.js";

const { values } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    "accept-open-vouchers-void": { type: "boolean", default: false },
    collection: { type: "string" },
  },
});
if (values.collection !== undefined && !isAddress(values.collection, { strict: false })) {
  console.error("--collection: must be a 0x-prefixed 20-byte hex address");
  process.exit(2);
}

const logger = pino({ level: "warn" });
const shutdown = createShutdownStack(logger);
let exitCode = 0;
try {
  const config = loadConfig(process.env);
  const db = await openDatabase({ logger, shutdown }, { config });
  const { chain, chainId } = await openChain({ shutdown, db, logger }, { config, onRequestError: () => undefined });
  // Fills in the addresses of issuers registered before issuer accounts (their keys derive from the mnemonic).
  await openIssuerKeyring({ db }, { config, chainId, platformSigner: chain.walletClient.account.address });
  const writeLocks = createWriteLocks({ db, chainId });

  const wanted = values.collection === undefined ? undefined : toStoredAddress(values.collection as Address);
  const collections = (await findCollectionsToHandOver({ db }, { chainId })).filter((found) => !wanted || found.collection === wanted);
  console.log(
    `${collections.length} collection(s) on chain ${chainId} still administered by the platform's key ${chain.walletClient.account.address}` +
      (values["dry-run"] ? " (dry run: nothing is sent)" : ""),
  );
  for (const [index, found] of collections.entries()) {
    console.log(`[${index + 1}/${collections.length}] ${found.collection} "${found.name}" of ${found.issuerName}`);
    const handed = await handOverCollection(
      { db, chain, writeLocks },
      {
        collection: found.collection,
        dryRun: values["dry-run"],
        acceptOpenVouchersVoid: values["accept-open-vouchers-void"],
        onStep: (step) => console.log(`    ${step.state.padEnd(7)} ${step.name}${step.txHash ? ` ${step.txHash}` : ""}`),
      },
    );
    if (handed.openVouchers.length > 0) {
      console.log(`    ${handed.openVouchers.length} open voucher(s) signed by the platform's key, void once its issuing role is revoked:`);
      for (const voucher of handed.openVouchers) {
        const deadline = new Date(Number(voucher.deadline) * 1000).toISOString();
        console.log(`      edition ${voucher.editionId} nonce ${voucher.nonce}: ${voucher.quantity} to ${voucher.recipient}, valid until ${deadline}`);
      }
    }
    if (handed.state === "refused") {
      exitCode = 1;
      const why = {
        "open-vouchers": "open vouchers (rerun with --accept-open-vouchers-void to void them)",
        "open-mint-jobs": "mint jobs of the collection are still open (rerun once they finish)",
        "issuer-without-keys": "the issuer has no address or operating key",
        "not-a-platform-collection": "already handed over",
      }[handed.reason!];
      console.log(`    refused: ${why}`);
    } else if (handed.state === "planned") {
      console.log(`    would hand over to admin ${handed.admin}, issuing key ${handed.operatingKey}`);
    } else {
      console.log(`    handed over: admin ${handed.admin}, issuing key ${handed.operatingKey}; ${handed.voidedVouchers} voucher(s) voided`);
    }
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await shutdown.run();
}
process.exit(exitCode);
