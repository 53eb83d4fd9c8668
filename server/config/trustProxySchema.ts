import express from "express";
import { z } from "zod";

/** Express's `trust proxy` setting: off, every hop, a number of hops, or the proxies' addresses. */
export type TrustProxy = boolean | number | string[];

/**
 * TRUST_PROXY: `false` (default), `true`, a hop count (`1`), or a comma list of addresses, CIDR ranges and
 * Express's names `loopback`, `linklocal`, `uniquelocal`. A list is checked by Express's own parser, so
 * a value that starts is one Express understands exactly as documented.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((text, context): TrustProxy => {
    const lower = text.toLowerCase();
    if (lower === "false") return false;
    if (lower === "true") return true;
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops <= 1_000) return hops;
    }
    const entries = text.split(",").map((entry) => entry.trim());
    // Express's parser (proxy-addr) also takes a number or an empty name as an address; refuse them here.
    const problem = entries.find((entry) => entry === "" || /^\d+$/.test(entry));
    if (problem === undefined) {
      try {
        express().set("trust proxy", entries);
        return entries;
      } catch {
        // Falls through to the issue below.
      }
    }
    context.addIssue({
      code: "custom",
      message:
        "must be false, true, a hop count, or a comma list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal",
    });
    return z.NEVER;
  });
