import { z } from "zod";

import { toStoredAddress } from "../chain/toStoredAddress.js";

/** An EVM address in any case, returned lowercase (the platform's one stored form). */
export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform(toStoredAddress);

/** An edition id in a path: a positive decimal integer. */
export const editionIdSchema = z.string().regex(/^[1-9][0-9]{0,9}$/, "must be a positive integer").transform(BigInt);

/** A token id in a path: a positive decimal integer the index's int8 columns can hold. */
export const tokenIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, "must be a positive integer")
  .transform(BigInt)
  .refine((value) => value <= 2n ** 63n - 1n, "must be at most 9223372036854775807");

/** `:address` of a collection route. */
export const collectionParams = z.object({ address: addressSchema });

/** `:address/editions/:editionId` of an edition route. */
export const editionParams = z.object({ address: addressSchema, editionId: editionIdSchema });
