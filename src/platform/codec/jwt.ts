/**
 * Verification of the JWTs the Web UI forwards to the codec endpoint (its users' access tokens): the signature
 * (RS256, ES256, HS256) against the configured keys, then `exp` (required) and `nbf` with a small clock skew, `iss`
 * and `aud` when configured, and the namespaces claim. Node's `crypto` only; nothing is fetched.
 */
import { createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { JwtAlgorithm, JwtKey, JwtKeys } from './jwt-keys';
import { JWT_ALGORITHMS } from './jwt-keys';

/** Clocks of the issuer and this process may differ by this much. */
export const CLOCK_SKEW_SECONDS = 30;

export interface JwtRules {
  readonly keys: JwtKeys;
  /** The `iss` tokens must carry; any when unset. */
  readonly issuer?: string;
  /** Tokens must name one of these in `aud`; not checked when empty. */
  readonly audiences: readonly string[];
  /** The claim listing the namespaces a token may decode (`*` for all; `ns:role` entries count as `ns`). */
  readonly namespacesClaim: string;
}

export type JwtVerdict =
  | { readonly ok: true; readonly subject: string; readonly namespaces: ReadonlySet<string> }
  | { readonly ok: false; readonly reason: string };

const JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** Whether a bearer token has the shape of a JWS compact serialization (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return JWT.test(token);
}

function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function signedBy(key: JwtKey, input: Buffer, signature: Buffer): boolean {
  if (key.alg === 'HS256') {
    const expected = createHmac('sha256', key.key).update(input).digest();
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
  if (key.alg === 'ES256')
    return signature.length === 64 && verify('sha256', input, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature);
  return verify('sha256', input, key.key, signature);
}

/** The namespaces a claim grants: an array of names or one string of names separated by spaces or commas. */
function claimedNamespaces(claim: unknown): ReadonlySet<string> {
  const entries = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  return new Set(
    entries
      .filter((e): e is string => typeof e === 'string' && e !== '')
      // Temporal's `permissions` claim holds `namespace:role`.
      .map((e) => e.split(':')[0] as string),
  );
}

/** Verifies `token` at `nowMs`; a refusal says why in a few words (sent to the caller and logged). */
export function verifyJwt(token: string, rules: JwtRules, nowMs = Date.now()): JwtVerdict {
  const parts = JWT.exec(token);
  const header = parts && jsonPart(parts[1] as string);
  if (!parts || !header) return { ok: false, reason: 'malformed JWT' };
  const alg = header.alg as JwtAlgorithm;
  if (!JWT_ALGORITHMS.includes(alg))
    return {
      ok: false,
      reason: `JWT algorithm ${JSON.stringify(header.alg)} is not accepted (${JWT_ALGORITHMS.join(', ')})`,
    };
  if (header.crit !== undefined) return { ok: false, reason: 'JWT has critical header parameters (crit)' };
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const input = Buffer.from(`${parts[1]}.${parts[2]}`, 'ascii');
  const signature = Buffer.from(parts[3] as string, 'base64url');
  if (!rules.keys.candidates(alg, kid).some((key) => signedBy(key, input, signature)))
    return { ok: false, reason: 'JWT not signed by a known key' };

  const claims = jsonPart(parts[2] as string);
  if (!claims) return { ok: false, reason: 'malformed JWT claims' };
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number') return { ok: false, reason: 'JWT has no exp' };
  if (now > claims.exp + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'JWT expired' };
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || now < claims.nbf - CLOCK_SKEW_SECONDS))
    return { ok: false, reason: 'JWT not valid yet (nbf)' };
  if (rules.issuer !== undefined && claims.iss !== rules.issuer)
    return { ok: false, reason: 'JWT from another issuer' };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (rules.audiences.length > 0 && !aud.some((a) => typeof a === 'string' && rules.audiences.includes(a)))
    return { ok: false, reason: 'JWT for another audience' };
  return {
    ok: true,
    subject: typeof claims.sub === 'string' ? claims.sub : '(no sub)',
    namespaces: claimedNamespaces(claims[rules.namespacesClaim]),
  };
}
