/**
 * OAuth 2.1 resource server: access tokens are JWTs from the configured issuer, checked against the
 * issuer's JWKS (jose), with this server's URL as their audience (RFC 8707). The protected-resource
 * metadata (RFC 9728) is served at its well-known path and named in every 401's `WWW-Authenticate`.
 * Scopes decide what the caller may use: the write scope everything served, the read scope only the
 * read-only tools, neither nothing (403).
 */
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  type OAuthMetadata,
  type OAuthTokenVerifier,
  oauthMetadataResponse,
  verifyBearerToken,
} from "@modelcontextprotocol/server";
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import type { AuthGate } from "./auth.js";
import { isLoopbackHost, type OAuthSettings } from "./options.js";

/** Asymmetric algorithms only: a shared-secret JWT would let anyone holding the secret mint tokens. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

const DISCOVERY_TIMEOUT_MS = 10_000;

export interface OAuthResourceServer {
  readonly gate: AuthGate;
  /** The RFC 9728 document (and the issuer's RFC 8414 one) when the request asks for it; else undefined. */
  metadataResponse(request: Request): Response | undefined;
  readonly resourceMetadataUrl: string;
}

export class OAuthSetupError extends Error {
  override readonly name = "OAuthSetupError";
}

/**
 * Reads the issuer's metadata (for its `jwks_uri`, unless one is configured) and returns the gate. Fails
 * at start-up, naming the issuer, when its metadata cannot be read or names another issuer.
 */
export async function createOAuthResourceServer(
  settings: OAuthSettings,
  fetchImpl: typeof fetch = fetch,
): Promise<OAuthResourceServer> {
  const metadata = await discover(settings.issuer, fetchImpl);
  const jwksUri = settings.jwksUrl ?? (typeof metadata.jwks_uri === "string" ? metadata.jwks_uri : undefined);
  if (jwksUri === undefined) {
    throw new OAuthSetupError(
      `the metadata of ${settings.issuer} names no jwks_uri; set ROOMS_MCP_OAUTH_JWKS_URL`,
    );
  }
  const keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: DISCOVERY_TIMEOUT_MS });
  const audiences = [settings.resource.href, settings.resource.href.replace(/\/$/, "")];
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: settings.issuer,
          audience: audiences,
          algorithms: ALGORITHMS,
          requiredClaims: ["exp"],
        }));
      } catch (error) {
        throw tokenError(error);
      }
      return authInfoOf(token, payload, settings);
    },
  };
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(settings.resource);
  const metadataOptions = {
    oauthMetadata: metadata as unknown as OAuthMetadata,
    resourceServerUrl: settings.resource,
    scopesSupported: [settings.readScope, settings.writeScope],
    resourceName: "rooms-mcp",
    dangerouslyAllowInsecureIssuerUrl: isLoopbackHost(new URL(settings.issuer).hostname),
  };
  const gate: AuthGate = async (authorization) => {
    let authInfo: AuthInfo;
    try {
      authInfo = await verifyBearerToken(authorization, {
        verifier,
        expectedResource: settings.resource,
        resourceMetadataUrl,
      });
    } catch (error) {
      return bearerAuthChallengeResponse(error, { resourceMetadataUrl });
    }
    const writes = authInfo.scopes.includes(settings.writeScope);
    if (!writes && !authInfo.scopes.includes(settings.readScope)) {
      return bearerAuthChallengeResponse(
        new OAuthError(
          OAuthErrorCode.InsufficientScope,
          `This server needs ${settings.readScope} (read-only tools) or ${settings.writeScope} (every tool)`,
        ),
        { requiredScopes: [settings.readScope], resourceMetadataUrl },
      );
    }
    return { id: `oauth:${authInfo.clientId}`, readOnly: !writes, authInfo };
  };
  return {
    gate,
    resourceMetadataUrl,
    metadataResponse: (request) => oauthMetadataResponse(request, metadataOptions),
  };
}

function authInfoOf(token: string, payload: JWTPayload, settings: OAuthSettings): AuthInfo {
  const scope = payload.scope;
  const scp = payload.scp;
  const scopes =
    typeof scope === "string"
      ? scope.split(" ").filter((s) => s !== "")
      : Array.isArray(scp)
        ? scp.filter((s): s is string => typeof s === "string")
        : [];
  const clientId = [payload.client_id, payload.azp, payload.sub].find(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return {
    token,
    clientId: clientId ?? "unknown",
    scopes,
    ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
    // jwtVerify has checked that `aud` names this server.
    resource: settings.resource,
  };
}

/** What went wrong with a token, in words a client can show (never the token). */
function tokenError(error: unknown): OAuthError {
  if (
    error instanceof joseErrors.JWKSTimeout ||
    (error instanceof TypeError && /fetch/i.test(error.message))
  ) {
    return new OAuthError(
      OAuthErrorCode.ServerError,
      "The authorization server's signing keys could not be read",
    );
  }
  if (error instanceof joseErrors.JWTExpired) {
    return new OAuthError(OAuthErrorCode.InvalidToken, "The access token has expired");
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new OAuthError(
      OAuthErrorCode.InvalidToken,
      `The access token's ${error.claim} claim is not accepted here`,
    );
  }
  return new OAuthError(OAuthErrorCode.InvalidToken, "The access token is not valid");
}

/** RFC 8414 metadata of the issuer (OpenID Connect discovery as the fallback). */
async function discover(issuer: string, fetchImpl: typeof fetch): Promise<Record<string, unknown>> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, "");
  const candidates = [
    new URL(`/.well-known/oauth-authorization-server${path}`, url.origin),
    new URL(`${path}/.well-known/openid-configuration`, url.origin),
  ];
  const problems: string[] = [];
  for (const candidate of candidates) {
    try {
      const response = await fetchImpl(candidate, {
        headers: { accept: "application/json" },
        redirect: "error",
        signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      });
      if (!response.ok) {
        problems.push(`${candidate.pathname}: HTTP ${response.status}`);
        continue;
      }
      const metadata = (await response.json()) as Record<string, unknown>;
      if (metadata.issuer !== issuer) {
        throw new OAuthSetupError(
          `${candidate.href} names issuer ${JSON.stringify(metadata.issuer)}, not ${issuer} (ROOMS_MCP_OAUTH_ISSUER must match it exactly)`,
        );
      }
      return metadata;
    } catch (error) {
      if (error instanceof OAuthSetupError) {
        throw error;
      }
      problems.push(`${candidate.pathname}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new OAuthSetupError(`the metadata of ${issuer} cannot be read (${problems.join("; ")})`);
}
