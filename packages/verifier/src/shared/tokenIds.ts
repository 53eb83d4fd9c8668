/**
 * The token-id layout of `contracts/libraries/TokenIds.sol`, the one TypeScript home of it: a token id is
 * `editionId * 1,000,000 + serial`, so token 3000042 is serial 42 of edition 3. `tokenIds.test.ts`
 * holds this module to the Solidity library (its constant, and the deployed contract's `editionOf`).
 */

/** Ids reserved per edition; serials run from 1 to `MAX_SERIAL`. */
export const SERIALS_PER_EDITION = 1_000_000n;

/** The largest serial (and so the largest max supply) an edition can have. */
export const MAX_SERIAL = SERIALS_PER_EDITION - 1n;

/** The token id of serial `serial` of edition `editionId`. */
export function encodeTokenId(editionId: bigint, serial: bigint | number): bigint {
  return editionId * SERIALS_PER_EDITION + BigInt(serial);
}

/** The edition and serial a token id encodes. */
export function decodeTokenId(tokenId: bigint): { editionId: bigint; serial: number } {
  return { editionId: tokenId / SERIALS_PER_EDITION, serial: Number(tokenId % SERIALS_PER_EDITION) };
}
