import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { anvilBinaryPath } from "../../server/chain/startAnvil.js";
import { openPostgres } from "../../server/db/openPostgres.js";

const root = path.resolve(import.meta.dirname, "..", "..");
export const BENCH_POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Versions of what a benchmark measured, and the machine it ran on. */
export interface BenchVersions {
  node: string;
  pglite: string;
  postgres: string;
  anvil: string;
  autocannon: string;
  ponder: string;
  machine: string;
}

async function packageVersion(directory: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(path.join(directory, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

async function postgresVersion(): Promise<string> {
  try {
    const db = await openPostgres({ connectionString: BENCH_POSTGRES_URL });
    try {
      const { rows } = await db.query<{ server_version: string }>("SHOW server_version");
      return rows[0]?.server_version ?? "unknown";
    } finally {
      await db.close();
    }
  } catch {
    return "unreachable";
  }
}

/** Collects the versions and machine description recorded with every benchmark result. */
export async function benchVersions(): Promise<BenchVersions> {
  const anvil = await promisify(execFile)(anvilBinaryPath(), ["--version"]).then(
    ({ stdout }) => stdout.split("\n")[0]?.replace("anvil Version: ", "") ?? "unknown",
    () => "unknown",
  );
  return {
    node: process.version,
    pglite: await packageVersion(path.join(root, "node_modules", "@electric-sql", "pglite")),
    postgres: await postgresVersion(),
    anvil,
    autocannon: await packageVersion(path.join(root, "node_modules", "autocannon")),
    ponder: await packageVersion(path.join(root, "bench", "peers", "ponder", "node_modules", "ponder")),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
  };
}
