/**
 * The voucher link, `/redeem?chain=…&collection=…&editionId=…&to=…&quantity=…&nonce=…&deadline=…&signature=…`:
 * the whole signed voucher in the query string, so the redeem page needs nothing else to redeem it.
 * Pure (no server imports): the redeem page parses links with the same module that writes them.
 */

export interface VoucherLinkFields {
  chainId: number;
  collection: string;
  editionId: string;
  to: string;
  quantity: string;
  nonce: string;
  deadline: string;
  signature: string;
}

/** The page path links point at (server/views/pageRoutes.ts's `redeem`). */
const REDEEM_PATH = "/redeem";

/** The link of a signed voucher, relative to the platform's origin. */
export function buildVoucherLink(fields: VoucherLinkFields): string {
  const query = new URLSearchParams({
    chain: String(fields.chainId),
    collection: fields.collection,
    editionId: fields.editionId,
    to: fields.to,
    quantity: fields.quantity,
    nonce: fields.nonce,
    deadline: fields.deadline,
    signature: fields.signature,
  });
  return `${REDEEM_PATH}?${query.toString()}`;
}

const FIELD_PATTERNS: Record<Exclude<keyof VoucherLinkFields, "chainId">, RegExp> = {
  collection: /^0x[0-9a-fA-F]{40}$/,
  editionId: /^[1-9][0-9]{0,9}$/,
  to: /^0x[0-9a-fA-F]{40}$/,
  quantity: /^[1-9][0-9]{0,5}$/,
  nonce: /^(0|[1-9][0-9]{0,77})$/,
  deadline: /^[0-9]{1,20}$/,
  signature: /^0x([0-9a-fA-F]{2}){64,65}$/,
};

/** The voucher in a link's query string, or the names of the fields that are missing or malformed. */
export function parseVoucherLink(query: URLSearchParams): { fields: VoucherLinkFields } | { invalid: string[] } {
  const invalid: string[] = [];
  const chain = query.get("chain") ?? "";
  if (!/^[1-9][0-9]{0,15}$/.test(chain)) invalid.push("chain");
  const read = (name: keyof typeof FIELD_PATTERNS): string => {
    const value = query.get(name) ?? "";
    if (!FIELD_PATTERNS[name].test(value)) invalid.push(name);
    return value;
  };
  const fields = {
    chainId: Number(chain),
    collection: read("collection").toLowerCase(),
    editionId: read("editionId"),
    to: read("to"),
    quantity: read("quantity"),
    nonce: read("nonce"),
    deadline: read("deadline"),
    signature: read("signature"),
  };
  return invalid.length > 0 ? { invalid } : { fields };
}
