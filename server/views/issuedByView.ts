/**
 * Who issued a token or an edition: the collection's admin address as the index knows it, and the
 * issuer's name when the platform knows it (null for a collection made elsewhere).
 */
export interface IssuedByView {
  name: string | null;
  address: string;
}
