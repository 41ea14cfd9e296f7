/**
 * Who may use the codec endpoint: a request carries `Authorization: Bearer <token>`, a token of the tokens file or
 * a JWT the configured keys verify, for the namespace it names in `X-Namespace`. No credential, or one that is
 * malformed, unknown or expired, is a 401; a valid one for another namespace a 403.
 */
import type { CodecTokens } from './codec-tokens';
import { B64TOKEN } from './codec-tokens';
import type { JwtRules } from './jwt';
import { looksLikeJwt, verifyJwt } from './jwt';
import { mayUseNamespace } from './namespaces';

/** `none`: anyone who reaches the endpoint may use it (`PIPEWRIGHT_CODEC_AUTH=none`, for local development). */
export type CodecAuth =
  { readonly kind: 'none' } | { readonly kind: 'credentials'; readonly tokens?: CodecTokens; readonly jwt?: JwtRules };

export type Access =
  | { readonly ok: true; readonly credential: string }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly error: string;
      /** Who asked, when known: `token:<id>` or `jwt:<sub>`; `-` otherwise. */
      readonly credential: string;
      readonly wwwAuthenticate?: string;
    };

const REALM = 'Bearer realm="pipewright codec"';
const BEARER = /^Bearer +(\S+) *$/i;

/** Says what to set when the endpoint would start without any credential to accept; undefined otherwise. */
export function missingCredentials(auth: CodecAuth): string | undefined {
  if (auth.kind === 'none' || auth.tokens || auth.jwt) return undefined;
  return (
    'the codec endpoint decrypts for whoever calls it and has no credentials to check: set ' +
    'PIPEWRIGHT_CODEC_TOKENS_FILE (lines "<id> <token> <namespace>[,...]") and/or PIPEWRIGHT_CODEC_JWT_KEYS_FILE ' +
    '(a JWKS or PEM public keys), or PIPEWRIGHT_CODEC_AUTH=none to let anyone who reaches it decrypt (local development only)'
  );
}

/** One line for the start-up message, e.g. `tokens ops, ui; JWTs (RS256 kid k1; claim namespaces)`. */
export function describeCodecAuth(auth: CodecAuth): string {
  if (auth.kind === 'none') return 'NO credentials asked (PIPEWRIGHT_CODEC_AUTH=none): whoever reaches it can decrypt';
  const parts: string[] = [];
  if (auth.tokens) parts.push(`tokens ${auth.tokens.ids.join(', ')}`);
  if (auth.jwt) {
    const { keys, issuer, audiences, namespacesClaim } = auth.jwt;
    const checks = [keys.describe(), `claim ${namespacesClaim}`];
    if (issuer) checks.push(`issuer ${issuer}`);
    if (audiences.length > 0) checks.push(`audience ${audiences.join(', ')}`);
    parts.push(`JWTs (${checks.join('; ')})`);
  }
  return `credentials: ${parts.join('; ')}`;
}

function refused(status: 401 | 403, error: string, credential = '-', oauthError?: string): Access {
  const wwwAuthenticate = status === 401 ? (oauthError ? `${REALM}, error="${oauthError}"` : REALM) : undefined;
  return { ok: false, status, error, credential, wwwAuthenticate };
}

/**
 * Whether the request with this `Authorization` header may `action` payloads of `namespace`. Decides from the
 * headers alone, before the body is read.
 */
export function checkAccess(
  auth: CodecAuth,
  authorization: string | undefined,
  namespace: string | undefined,
  action: 'decode' | 'encode',
  nowMs = Date.now(),
): Access {
  if (auth.kind === 'none') return { ok: true, credential: 'none' };
  if (!authorization) return refused(401, 'credentials required: Authorization: Bearer <token>');
  const token = BEARER.exec(authorization)?.[1];
  if (!token || !B64TOKEN.test(token))
    return refused(401, 'malformed Authorization header: expected Bearer <token>', '-', 'invalid_request');
  let credential: string;
  let namespaces: ReadonlySet<string>;
  const known = auth.tokens?.match(token);
  if (known) {
    credential = `token:${known.id}`;
    namespaces = known.namespaces;
  } else if (auth.jwt && looksLikeJwt(token)) {
    const verdict = verifyJwt(token, auth.jwt, nowMs);
    if (!verdict.ok) return refused(401, verdict.reason, '-', 'invalid_token');
    credential = `jwt:${verdict.subject}`;
    namespaces = verdict.namespaces;
  } else {
    return refused(401, 'unknown token', '-', 'invalid_token');
  }
  if (!mayUseNamespace(namespaces, namespace))
    return refused(
      403,
      namespace === undefined
        ? `${credential} is limited to some namespaces and the request names none (X-Namespace header)`
        : `${credential} may not ${action} payloads of namespace ${JSON.stringify(namespace)}`,
      credential,
    );
  return { ok: true, credential };
}
