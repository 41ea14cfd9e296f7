/**
 * The bearer tokens of the codec endpoint, from a secret file (`PIPEWRIGHT_CODEC_TOKENS_FILE`): one token a line,
 * `<id> <token> <namespace>[,<namespace>...]`, `*` for every namespace; `#` starts a comment. The id names the
 * token in logs; the token itself is kept only as its SHA-256 digest and compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidCodecCredentialsError } from './errors';
import { parseNamespaces } from './namespaces';

/** Letters, digits, `.`, `_`, `@`, `-`; what logs show for the token. */
const TOKEN_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** RFC 6750's b64token: what may follow `Bearer ` in an Authorization header. */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Shorter tokens are refused: a token of 32 random characters or more cannot be guessed. */
export const MIN_TOKEN_LENGTH = 32;
const FORMAT = 'expected "<id> <token> <namespace>[,<namespace>...]"';

export interface CodecToken {
  readonly id: string;
  /** The namespaces whose payloads the token may decode and encode; `*` is every namespace. */
  readonly namespaces: ReadonlySet<string>;
}

interface HeldToken extends CodecToken {
  readonly digest: Buffer;
}

const digestOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** The tokens of the file. Never prints a token or a digest: `inspect` and JSON show the ids only. */
export class CodecTokens {
  readonly #tokens: readonly HeldToken[];

  constructor(tokens: readonly { id: string; token: string; namespaces: ReadonlySet<string> }[]) {
    this.#tokens = tokens.map(({ id, token, namespaces }) => ({ id, namespaces, digest: digestOf(token) }));
  }

  get ids(): readonly string[] {
    return this.#tokens.map((t) => t.id);
  }

  /**
   * The token held that equals `presented`, or undefined. Compares equal-length digests with `timingSafeEqual`
   * against every token held, so the time taken says nothing about how much of a token was right.
   */
  match(presented: string): CodecToken | undefined {
    const digest = digestOf(presented);
    let found: HeldToken | undefined;
    for (const held of this.#tokens) if (timingSafeEqual(digest, held.digest) && !found) found = held;
    return found && { id: found.id, namespaces: found.namespaces };
  }

  toJSON(): { ids: readonly string[] } {
    return { ids: this.ids };
  }

  [inspect.custom](): string {
    return `CodecTokens(${this.ids.join(', ')})`;
  }
}

/**
 * Parses the file's text. Throws {@link InvalidCodecCredentialsError} listing every bad line by number, never
 * showing a token.
 */
export function parseCodecTokens(text: string): CodecTokens {
  const problems: string[] = [];
  const tokens: { id: string; token: string; namespaces: ReadonlySet<string> }[] = [];
  const digests = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `line ${index + 1}`;
    const fields = line.split(/\s+/);
    const [id = '', token = '', namespaceList = ''] = fields;
    if (fields.length !== 3) return problems.push(`${where}: ${FORMAT}`);
    if (!TOKEN_ID.test(id))
      return problems.push(`${where}: the id "${id}" is not letters, digits, ".", "_", "@" or "-" (64 at most)`);
    if (!B64TOKEN.test(token) || token.length < MIN_TOKEN_LENGTH)
      return problems.push(
        `${where}: the token of "${id}" is not ${MIN_TOKEN_LENGTH} or more of A-Z a-z 0-9 - . _ ~ + / ` +
          '(generate one with: openssl rand -base64 32)',
      );
    const namespaces = parseNamespaces(namespaceList.split(','));
    if (typeof namespaces === 'string') return problems.push(`${where}: ${namespaces}`);
    if (tokens.some((t) => t.id === id)) return problems.push(`${where}: the id "${id}" is given twice`);
    const digest = digestOf(token).toString('hex');
    const twin = digests.get(digest);
    if (twin) return problems.push(`${where}: "${id}" has the same token as "${twin}"; give each its own`);
    digests.set(digest, id);
    tokens.push({ id, token, namespaces });
  });
  if (problems.length === 0 && tokens.length === 0) problems.push(`no tokens: ${FORMAT} on each line`);
  if (problems.length > 0) throw new InvalidCodecCredentialsError(problems);
  return new CodecTokens(tokens);
}
