import { z } from "zod";

/** At most `limit` requests per client in each fixed window of `windowMs`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/**
 * Every request limit of the platform: its environment variable, its default and what it covers. The
 * routes each applies to are in `server/http/rateLimits.ts`; docs/operating-in-public.md explains them.
 */
export const RATE_LIMIT_RULES = {
  /** Every /api request without a valid key, per client address. */
  apiAnonymous: { env: "RATE_LIMIT_API_ANONYMOUS", default: "1200/1m" },
  /** Every /api request with a valid key, per key: an issuer's automation reads and writes a lot. */
  apiKey: { env: "RATE_LIMIT_API_KEY", default: "6000/1m" },
  /** Mint and airdrop submissions: each may be thousands of tokens. */
  mint: { env: "RATE_LIMIT_MINT", default: "120/1m" },
  /** Token and edition verification and edition bundles: each re-reads and re-hashes stored media. */
  verify: { env: "RATE_LIMIT_VERIFY", default: "60/1m" },
  /** Edition creation, the one upload route (up to two media files each). */
  upload: { env: "RATE_LIMIT_UPLOAD", default: "30/1m" },
  /** The /ipfs gateway: every image a page shows is one request. */
  ipfs: { env: "RATE_LIMIT_IPFS", default: "2400/1m" },
  /** Voucher relay (POST /api/vouchers/redeem), open to anyone: each may send a transaction the issuer's budget pays for. */
  voucherRelay: { env: "RATE_LIMIT_VOUCHER_RELAY", default: "30/1m" },
  /**
   * Holding and claiming a claim code, per client address. Generous: an exhibition's visitors often share
   * one address (the venue's Wi-Fi), and guessing a 100-bit code is hopeless at any rate.
   */
  claim: { env: "RATE_LIMIT_CLAIM", default: "600/1m" },
} as const satisfies Record<string, { env: string; default: string }>;

export type RateLimitName = keyof typeof RATE_LIMIT_RULES;

/** Undefined for a limit switched `off`. */
export type RateLimitRules = Record<RateLimitName, RateLimitRule | undefined>;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
/** MemoryStore resets its windows with setInterval, which takes at most 2^31 - 1 ms; a day is plenty. */
const MAX_WINDOW_MS = 86_400_000;

/** `<count>/<window>` (`1200/1m`, `30/60s`, `5/500ms`, `100/1h`) or `off`. */
export const rateLimitSchema = z
  .string()
  .trim()
  .transform((text, context): RateLimitRule | undefined => {
    if (text.toLowerCase() === "off") return undefined;
    const match = /^(\d{1,9})\s*\/\s*(\d{1,9})\s*(ms|s|m|h)$/i.exec(text);
    const limit = Number(match?.[1]);
    const windowMs = Number(match?.[2]) * UNIT_MS[(match?.[3]?.toLowerCase() ?? "ms") as keyof typeof UNIT_MS];
    if (!match || limit < 1 || windowMs < 1_000 || windowMs > MAX_WINDOW_MS) {
      context.addIssue({
        code: "custom",
        message: "must be <count>/<window> such as 1200/1m (count at least 1, window 1s to 24h in ms, s, m or h), or off",
      });
      return z.NEVER;
    }
    return { limit, windowMs };
  });
