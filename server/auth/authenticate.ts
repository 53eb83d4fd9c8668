import type { NextFunction, Request, RequestHandler, Response } from "express";

import type { AuthenticatorDependencies, Principal } from "./findAuthenticatedKey.js";

import { VermilionError } from "../errors/VermilionError.js";
import { bearerKeyOf, findAuthenticatedKey } from "./findAuthenticatedKey.js";
import { clientIdentityOf } from "./identifyClient.js";

export type { AuthenticatedKey, AuthenticatorDependencies, Principal } from "./findAuthenticatedKey.js";

/** The principal a route's `requireAdmin`/`requireIssuer` resolved. */
export function principalOf(response: Response): Principal {
  const principal = response.locals.principal as Principal | undefined;
  if (!principal) throw new VermilionError("UNAUTHENTICATED");
  return principal;
}

/** Middlewares resolving `Authorization: Bearer <key>` against the stored key hashes. */
export function createAuthenticator(deps: AuthenticatorDependencies): {
  requireAdmin: RequestHandler;
  requireIssuer: RequestHandler;
} {
  async function resolve(request: Request, response: Response): Promise<Principal> {
    // The app's identifyClient middleware looked the key up once already; a router used on its own does it here.
    const identity = clientIdentityOf(response);
    if (identity) {
      if (!identity.authenticated) throw new VermilionError("UNAUTHENTICATED");
      return identity.authenticated.principal;
    }
    const key = bearerKeyOf(request.get("authorization"));
    const authenticated = key ? await findAuthenticatedKey(deps, key) : undefined;
    if (!authenticated) throw new VermilionError("UNAUTHENTICATED");
    return authenticated.principal;
  }

  return {
    requireAdmin: async (request: Request, response: Response, next: NextFunction) => {
      const principal = await resolve(request, response);
      if (principal.kind !== "admin") throw new VermilionError("FORBIDDEN", { resource: "admin routes" });
      response.locals.principal = principal;
      next();
    },
    requireIssuer: async (request: Request, response: Response, next: NextFunction) => {
      response.locals.principal = await resolve(request, response);
      next();
    },
  };
}
