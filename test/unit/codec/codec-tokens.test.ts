/**
 * The tokens file of the codec endpoint: one `<id> <token> <namespaces>` a line; every bad line reported by number
 * without showing a token; tokens matched whole, and never printed.
 */
import { inspect } from 'node:util';
import { parseCodecTokens } from '../../../src/platform/codec/codec-tokens';
import { InvalidCodecCredentialsError } from '../../../src/platform/codec/errors';
import { mayUseNamespace } from '../../../src/platform/codec/namespaces';
import { problemsThrown } from '../../helpers/problems';

const OPS = 'ops-token-0123456789abcdefghijklmnopqrstuv';
const UI = 'ui+token/0123456789ABCDEFGHIJKLMNOPQRSTUV==';

const problemsOf = (text: string) => problemsThrown(InvalidCodecCredentialsError, () => parseCodecTokens(text));

test('ids, tokens and namespaces a line; comments and blank lines are skipped; * is every namespace', () => {
  const tokens = parseCodecTokens(
    `# who  token  namespaces\n\nops ${OPS} *\n  ui-team@example ${UI} default,payroll # UI\n`,
  );
  expect(tokens.ids).toEqual(['ops', 'ui-team@example']);
  const ops = tokens.match(OPS);
  expect(ops?.id).toBe('ops');
  expect(mayUseNamespace(ops?.namespaces ?? new Set(), 'anything')).toBe(true);
  expect(mayUseNamespace(ops?.namespaces ?? new Set(), undefined)).toBe(true);
  const ui = tokens.match(UI);
  expect([...(ui?.namespaces ?? [])]).toEqual(['default', 'payroll']);
  expect(mayUseNamespace(ui?.namespaces ?? new Set(), 'default')).toBe(true);
  expect(mayUseNamespace(ui?.namespaces ?? new Set(), 'billing')).toBe(false);
  expect(mayUseNamespace(ui?.namespaces ?? new Set(), undefined)).toBe(false);
});

test('only the whole token matches: not a prefix, not a longer one, not another case', () => {
  const tokens = parseCodecTokens(`ops ${OPS} *`);
  for (const wrong of [OPS.slice(0, -1), `${OPS}x`, OPS.toUpperCase(), '', 'x'])
    expect(tokens.match(wrong)).toBeUndefined();
});

test('tokens never print: inspect and JSON show the ids only', () => {
  const tokens = parseCodecTokens(`ops ${OPS} *\nui ${UI} default`);
  expect(inspect(tokens)).toBe('CodecTokens(ops, ui)');
  expect(JSON.stringify({ tokens })).toBe('{"tokens":{"ids":["ops","ui"]}}');
  expect(inspect(tokens, { showHidden: true, depth: 5 })).not.toContain(OPS.slice(0, 10));
});

test('each bad line is one problem with its number, and never shows the token', () => {
  const problems = problemsOf(
    [
      `ops ${OPS} *`,
      `bad/id ${OPS}x default`,
      'short tooshort default',
      `spaces ${OPS}y default,,`,
      `ops ${UI} default`,
      `copy ${OPS} default`,
      `extra ${OPS}z default more`,
      `missing ${OPS}w`,
    ].join('\n'),
  );
  expect(problems).toEqual([
    'line 2: the id "bad/id" is not letters, digits, ".", "_", "@" or "-" (64 at most)',
    'line 3: the token of "short" is not 32 or more of A-Z a-z 0-9 - . _ ~ + / (generate one with: openssl rand -base64 32)',
    'line 4: "" is not a namespace name (no spaces or commas; * for every namespace)',
    'line 5: the id "ops" is given twice',
    'line 6: "copy" has the same token as "ops"; give each its own',
    'line 7: expected "<id> <token> <namespace>[,<namespace>...]"',
    'line 8: expected "<id> <token> <namespace>[,<namespace>...]"',
  ]);
  for (const p of problems) expect(p).not.toContain(OPS.slice(0, 12));
  expect(problemsOf('# nothing but a comment\n')).toEqual([
    'no tokens: expected "<id> <token> <namespace>[,<namespace>...]" on each line',
  ]);
});
