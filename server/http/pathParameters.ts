import { getAddress } from "viem";
import { z } from "zod";

/** An EVM address in any case, returned checksummed. */
export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((value) => getAddress(value.toLowerCase()));

/** An edition id in a path: a positive decimal integer. */
export const editionIdSchema = z.string().regex(/^[1-9][0-9]{0,9}$/, "must be a positive integer").transform(BigInt);

/** `:address` of a collection route. */
export const collectionParams = z.object({ address: addressSchema });

/** `:address/editions/:editionId` of an edition route. */
export const editionParams = z.object({ address: addressSchema, editionId: editionIdSchema });
