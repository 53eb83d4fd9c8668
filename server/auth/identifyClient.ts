import type { RequestHandler, Response } from "express";
import type { AuthenticatedKey, AuthenticatorDependencies } from "./findAuthenticatedKey.js";

import { ipKeyGenerator } from "express-rate-limit";

import { bearerKeyOf, findAuthenticatedKey } from "./findAuthenticatedKey.js";

/** Who a request counts against, resolved once per request by `identifyClient`. */
export interface ClientIdentity {
  /** `key:<key id>` for a valid key, else `ip:<address>` (an IPv6 address as its /56 subnet). */
  clientKey: string;
  /** The valid key the request carries; undefined without one or with an invalid or revoked one. */
  authenticated: AuthenticatedKey | undefined;
}

const IDENTITY = "clientIdentity";

/** What `identifyClient` resolved for this request, if it ran. */
export function clientIdentityOf(response: Response): ClientIdentity | undefined {
  return response.locals[IDENTITY] as ClientIdentity | undefined;
}

/** The client address's bucket: Express's `request.ip` (which follows `trust proxy`), IPv6 grouped by /56. */
function addressKeyOf(response: Response): string {
  return `ip:${ipKeyGenerator(response.req.ip ?? "unknown")}`;
}

/**
 * The key a request counts against in every per-client limit or bound: its valid API key, else its
 * client address. Made-up keys count against the address, so rotating them gains nothing.
 */
export function clientKeyOf(response: Response): string {
  return clientIdentityOf(response)?.clientKey ?? addressKeyOf(response);
}

/**
 * Resolves the request's key once, early: a valid key (ADMIN_API_KEY or a stored, unrevoked key)
 * identifies the client by its key id; anything else by its address. `requireIssuer`/`requireAdmin`
 * reuse the result instead of looking the key up again.
 */
export function identifyClient(deps: AuthenticatorDependencies): RequestHandler {
  return async (request, response, next) => {
    const key = bearerKeyOf(request.get("authorization"));
    const authenticated = key ? await findAuthenticatedKey(deps, key) : undefined;
    const identity: ClientIdentity = {
      clientKey: authenticated ? `key:${authenticated.keyId}` : addressKeyOf(response),
      authenticated,
    };
    response.locals[IDENTITY] = identity;
    next();
  };
}
