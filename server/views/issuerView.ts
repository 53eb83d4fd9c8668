/** GET /api/issuers/me: who the presented key acts as, and for an issuer its on-chain addresses. */
export interface WhoAmIView {
  kind: "admin" | "issuer";
  issuerId: string | null;
  name: string | null;
  /** The admin of the issuer's collections: its custodial admin key, or its own wallet (custody "self"). */
  address: string | null;
  custody: "custodial" | "self" | null;
  /** The platform-held key that holds only the issuing role on the issuer's collections. */
  operatingAddress: string | null;
}

/** An issuer in GET /api/issuers. */
export interface IssuerView {
  issuerId: string;
  name: string;
  address: string | null;
  custody: "custodial" | "self";
  operatingAddress: string | null;
  createdAt: string;
}

/** POST /api/issuers: the issuer and its first API key (shown once). */
export interface CreatedIssuerView {
  issuerId: string;
  name: string;
  keyId: string;
  apiKey: string;
  address: string;
  custody: "custodial" | "self";
  operatingAddress: string;
}

/** POST /api/issuers/me/custody: the issuer after taking custody. */
export interface CustodyTransferView {
  issuerId: string;
  address: string;
  custody: "self";
  operatingAddress: string;
  /** Each collection whose admin moved to the issuer's wallet. */
  collections: Array<{ address: string; state: "transferred" }>;
}
