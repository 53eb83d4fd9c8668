/** GET /api/issuers/me: who the presented key acts as. */
export interface WhoAmIView {
  kind: "admin" | "issuer";
  issuerId: string | null;
  name: string | null;
}
