import type { Address, LocalAccount } from "viem";
import type { Logger } from "pino";
import type { ChainClients } from "../../chain/createChainClients.js";
import type { CreateLeaseKeeperParameters, LeaseKeeper } from "../../cluster/createLeaseKeeper.js";
import type { WriteLocks } from "../../cluster/createWriteLock.js";
import type { Database } from "../../db/Database.js";
import type { GasFunder } from "../../gas/createGasFunder.js";
import type { IssuerKeyring } from "../../issuers/accounts/createIssuerKeyring.js";
import type { MintSender, MintSenderDependencies } from "../createMintSender.js";

import { toStoredAddress } from "../../chain/toStoredAddress.js";
import { createLeaseKeeper } from "../../cluster/createLeaseKeeper.js";
import { fencedDatabase } from "../../cluster/fencedDatabase.js";
import { createMintSender } from "../createMintSender.js";
import { listOpenSenders } from "./listOpenSenders.js";

export interface MintSenderPoolDeps {
  db: Database;
  chain: ChainClients;
  writeLocks: WriteLocks;
  /** Where an issuer key's account comes from (the platform's own key is `chain.walletClient`). */
  issuerKeyring: Pick<IssuerKeyring, "accountFor">;
  gasFunder: Pick<GasFunder, "ensureFunded">;
  logger: Logger;
  /** What every lease of this instance shares: the database, the holder, the term and the logger. */
  leaseDefaults: Omit<CreateLeaseKeeperParameters, "name" | "onAcquired" | "onLost">;
}

export interface MintSenderPoolParameters {
  /** Passed to each key's sender. */
  senderOptions?: Pick<
    MintSenderDependencies,
    "replaceAfterMs" | "foreignNonceAfterMs" | "idlePollMs" | "waitRetryMs" | "onFaultPoint" | "confirmations" | "mempoolCheckMs" | "onTransactionLost"
  >;
  /** How often the pool looks for keys with open jobs (default 1 s): new keys, and keys gone idle. */
  discoverEveryMs?: number;
  /** How long a key without open jobs keeps its sender and lease before both are stopped (default 60 s). */
  idleStopAfterMs?: number;
}

export interface MintSenderPool {
  /** Starts the platform key's sender role and the discovery of other keys; resolves after the first round. */
  start(): Promise<void>;
  /** Wakes the sender of `sender` (starting one if this instance has none), or every sender here. */
  wake(sender?: Address): void;
  /** Stops every sender and releases its lease. */
  stop(): Promise<void>;
  /** How many sender leases this instance holds now. */
  heldLeases(): number;
  /** The keys this instance runs a sender role for (held or standing by), for tests and operators. */
  senders(): Address[];
}

interface Member {
  lease: LeaseKeeper;
  sender: MintSender;
  /** When discovery first found the key without open jobs; undefined while it has some. */
  idleSince: number | undefined;
}

/** The lease that makes one instance the sender of one key on one chain. */
export function mintSenderLeaseName(chainId: number, sender: Address): string {
  return `mint-sender:${chainId}:${toStoredAddress(sender)}`;
}

/**
 * One mint sender per signing key, each elected across the cluster by its own lease
 * (`mint-sender:<chainId>:<address>`) and fenced by it, so issuers' mints go out in parallel and one
 * key's stuck transaction holds up only that key's jobs. The keys come from the jobs: every key with
 * queued or sending jobs gets a lease keeper here (the instance that wins the lease runs the sender,
 * the others stand by for a takeover); a key without open jobs for `idleStopAfterMs` is let go. The
 * platform's own key (collections made before issuer accounts) always has one.
 */
export function createMintSenderPool(deps: MintSenderPoolDeps, parameters: MintSenderPoolParameters = {}): MintSenderPool {
  const { db, chain, logger } = deps;
  const platformKey = chain.walletClient.account.address;
  const discoverEveryMs = parameters.discoverEveryMs ?? 1_000;
  const idleStopAfterMs = parameters.idleStopAfterMs ?? 60_000;
  const members = new Map<Address, Member>();
  /** Keys being added or let go: the next change of a key waits for the one in progress. */
  const changing = new Map<Address, Promise<void>>();
  /** Keys whose account the keyring does not know (logged once). */
  const unknownKeys = new Set<Address>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeDiscovery: (() => void) | undefined;

  const accountOf = async (address: Address): Promise<LocalAccount | undefined> =>
    address === platformKey ? (chain.walletClient.account as LocalAccount) : deps.issuerKeyring.accountFor(address);

  const change = (address: Address, work: () => Promise<void>): Promise<void> => {
    const next = (changing.get(address) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      logger.error({ err: error, sender: address }, "mint sender pool could not change a key's sender");
    });
    changing.set(address, next);
    void next.then(() => {
      if (changing.get(address) === next) changing.delete(address);
    });
    return next;
  };

  const add = (address: Address): Promise<void> =>
    change(address, async () => {
      if (!running || members.has(address)) return;
      const account = await accountOf(address);
      if (!account) {
        if (!unknownKeys.has(address)) logger.error({ sender: address }, "mint jobs wait for a key the issuer keyring cannot derive");
        unknownKeys.add(address);
        return;
      }
      const lease: LeaseKeeper = createLeaseKeeper({
        ...deps.leaseDefaults,
        name: mintSenderLeaseName(chain.chainId, address),
        onAcquired: () => sender.start(),
        onLost: () => sender.stop(),
      });
      const sender = createMintSender({
        ...parameters.senderOptions,
        db: fencedDatabase(db, lease),
        lease,
        chain,
        account,
        writeLock: deps.writeLocks(address),
        gasFunder: deps.gasFunder,
        logger,
      });
      members.set(address, { lease, sender, idleSince: undefined });
      await lease.start();
    });

  const remove = (address: Address): Promise<void> =>
    change(address, async () => {
      const member = members.get(address);
      if (!member) return;
      members.delete(address);
      // Stops the sender after its current step, then releases the lease for whoever needs it next.
      await member.lease.stop();
    });

  /** One round: a keeper for every key with open jobs, and idle keys let go. */
  const discover = async (): Promise<void> => {
    const open = new Set((await listOpenSenders(db, { chainId: chain.chainId })).map(toStoredAddress));
    for (const address of open) {
      const member = members.get(address);
      if (member) member.idleSince = undefined;
      else await add(address);
    }
    const now = Date.now();
    for (const [address, member] of members) {
      if (open.has(address) || address === platformKey) continue;
      member.idleSince ??= now;
      if (now - member.idleSince >= idleStopAfterMs) await remove(address);
    }
  };

  const run = async (): Promise<void> => {
    while (running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, discoverEveryMs);
        wakeDiscovery = () => (clearTimeout(timer), resolve());
      });
      if (!running) return;
      try {
        await discover();
      } catch (error) {
        logger.warn({ err: error }, "mint sender discovery failed; retrying");
      }
    }
  };

  return {
    async start() {
      if (running) return;
      running = true;
      await add(platformKey);
      await discover().catch((error: unknown) => logger.warn({ err: error }, "mint sender discovery failed; retrying"));
      loop = run();
    },
    wake(sender) {
      if (sender === undefined) {
        for (const member of members.values()) member.sender.wake();
        wakeDiscovery?.();
        return;
      }
      const address = toStoredAddress(sender);
      const member = members.get(address);
      if (member) {
        member.idleSince = undefined;
        member.sender.wake();
      } else {
        void add(address);
      }
    },
    async stop() {
      running = false;
      wakeDiscovery?.();
      await loop;
      await Promise.all([...changing.values()]);
      await Promise.all([...members.keys()].map((address) => remove(address)));
    },
    heldLeases() {
      let held = 0;
      for (const member of members.values()) if (member.lease.isHeld()) held += 1;
      return held;
    },
    senders() {
      return [...members.keys()];
    },
  };
}
