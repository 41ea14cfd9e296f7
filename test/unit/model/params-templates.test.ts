import { resolveParams } from '../../../src/model/params/values';
import { parseTemplate } from '../../../src/model/templates/parse';
import { renderTemplates, type RunContext } from '../../../src/model/templates/render';
import { validateDefinition } from '../../../src/model/validate';

const ctx = (params: RunContext['params'] = {}, extra: Partial<RunContext> = {}): RunContext => ({
  params,
  specs: {
    day: { type: 'date' },
    n: { type: 'int' },
    region: { type: 'string' },
    rate: { type: 'float' },
    on: { type: 'bool' },
  },
  logicalDate: '2024-05-01T02:00:00.000Z',
  id: 'orders--20240501',
  pipeline: 'orders',
  version: '3',
  ...extra,
});
const render = (value: unknown, params: RunContext['params'] = {}, extra: Partial<RunContext> = {}) =>
  renderTemplates(value, ctx(params, extra), ['nodes', 0, 'params']);

describe('templates', () => {
  test('a whole-string template keeps its type; text around templates joins as text', () => {
    const r = render(
      {
        path: 'data/day-{{ params.day }}.csv',
        limit: '{{ params.n * 2 }}',
        on: '{{ params.on }}',
        rate: '{{ params.rate }}',
        nested: [{ q: 'region = {{ upper(params.region) }}' }],
        plain: 'no templates',
        number: 5,
      },
      { day: '2024-05-01', n: 21, region: 'eu', rate: 0.5, on: true },
    );
    expect(r).toEqual({
      ok: true,
      value: {
        path: 'data/day-2024-05-01.csv',
        limit: 42,
        on: true,
        rate: 0.5,
        nested: [{ q: 'region = EU' }],
        plain: 'no templates',
        number: 5,
      },
    });
  });

  test('run.logicalDate through pipes: date, the day before, formatting, time zones', () => {
    const r = render(
      {
        a: '{{ run.logicalDate | date }}',
        b: '{{ run.logicalDate | add_days(-1) | date }}',
        c: "{{ run.logicalDate | format_date('YYYYMMDD-HHmm') }}",
        d: "{{ run.logicalDate | date('America/New_York') }}",
        e: "{{ format_date(add_months(to_date('2024-01-31'), 1), 'YYYY/MM/DD') }}",
        f: '{{ run.id }} {{ run.pipeline }}@{{ run.version }}',
        g: "{{ params.day ?? 'x' }}",
      },
      { day: '2024-02-29' },
    );
    expect(r).toEqual({
      ok: true,
      value: {
        a: '2024-05-01',
        b: '2024-04-30',
        c: '20240501-0200',
        d: '2024-04-30',
        e: '2024/02/29',
        f: 'orders--20240501 orders@3',
        g: '2024-02-29',
      },
    });
  });

  test('a name that does not exist, a bad pipe stage and an unclosed template are problems at their paths', () => {
    const r = render(
      { a: '{{ params.dya }}', b: ['{{ run.logicalDate | 3 }}'], c: 'x {{ run.id' },
      { day: '2024-05-01' },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      expect.objectContaining({
        path: 'nodes[0].params.a',
        message: expect.stringMatching(/unknown name "params.dya"; a template can use .*params.day/),
      }),
      expect.objectContaining({
        path: 'nodes[0].params.b[0]',
        message: expect.stringMatching(/after \| comes a function/),
      }),
      expect.objectContaining({ path: 'nodes[0].params.c', message: expect.stringMatching(/never closed/) }),
    ]);
  });

  test('member access beyond a.b, and an unknown time zone, are refused', () => {
    const r = render({ a: '{{ params.day.x }}', b: "{{ run.logicalDate | date('Mars/Olympus') }}" });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.message).join('\n')).toMatch(
        /only names such as params.day[\s\S]*unknown time zone "Mars\/Olympus"/,
      );
  });

  test("transform.sql's {{ inputs.<node id> }} stays for the node to resolve", () => {
    const sql = 'SELECT * FROM {{ inputs.raw-orders }} WHERE day = {{ params.day }}';
    expect(render({ sql }, { day: '2024-05-01' })).toEqual({
      ok: true,
      value: { sql: 'SELECT * FROM {{ inputs.raw-orders }} WHERE day = 2024-05-01' },
    });
    expect(
      validateDefinition(
        { name: 'p', nodes: [{ id: 'a', type: 'fail', params: { message: '{{ inputs.x }}' } }] },
        { run: {} },
      ),
    ).toMatchObject({ ok: true, rendered: { templated: [] } });
  });

  test('quotes and || inside a template are not pipes or ends', () => {
    expect(parseTemplate("{{ 'a}}b' }}-{{ params.on || false }}")).toEqual([
      { kind: 'expr', source: "{{ 'a}}b' }}", expression: "'a}}b'" },
      { kind: 'text', text: '-' },
      { kind: 'expr', source: '{{ params.on || false }}', expression: 'params.on || false' },
    ]);
  });
});

describe('run params', () => {
  const specs = {
    day: { type: 'date' as const },
    n: { type: 'int' as const, default: 7 },
    at: { type: 'timestamptz' as const, default: '2024-05-01 02:00:00+02' },
    on: { type: 'bool' as const, default: false },
  };

  test('text values (as --param gives them) become typed; defaults fill the rest', () => {
    expect(resolveParams(specs, { day: '2024-05-01', n: '12', on: 'yes' })).toEqual({
      ok: true,
      values: { day: '2024-05-01', n: 12, at: '2024-05-01T00:00:00.000Z', on: true },
    });
  });

  test('a missing required, an unknown and a mistyped param are each named', () => {
    const r = resolveParams(specs, { dya: '2024-05-01', n: '1.5', on: 'maybe' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/params.dya: unknown param "dya"; the pipeline declares day \(date\), n \(int\)/);
    expect(text).toMatch(/params.day: param "day" is required: give it a date \(YYYY-MM-DD\)/);
    expect(text).toMatch(/params.n: param "n": expected an integer, got "1.5"/);
    expect(text).toMatch(/params.on: param "on": expected true or false, got "maybe"/);
  });

  test('a bad date says why', () => {
    const r = resolveParams(specs, { day: '2024-02-30' });
    expect(r.ok ? '' : r.problems[0]?.message).toMatch(
      /expected a date \(YYYY-MM-DD\), got "2024-02-30": day out of range/,
    );
  });
});

describe('validateDefinition with params and templates', () => {
  const def = {
    name: 'daily',
    params: { day: 'date', limit: { type: 'int', default: 3 } },
    nodes: [
      { id: 'wait', type: 'sleep', params: { duration: '{{ params.limit * 100 }}' } },
      {
        id: 'fail',
        type: 'fail',
        needs: ['wait'],
        params: { message: 'day {{ params.day }}', attempts: '{{ params.limit }}' },
      },
    ],
  };

  test('without a run, templates are checked with samples and the definition stays as written', () => {
    const r = validateDefinition(def);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rendered).toBeUndefined();
      expect(r.definition.nodes[1]?.params).toEqual({
        message: 'day {{ params.day }}',
        attempts: '{{ params.limit }}',
      });
    }
  });

  test('for a run, the rendered definition carries typed params and names the templated nodes', () => {
    const r = validateDefinition(def, { run: { params: { day: '2024-05-01' } } });
    expect(r.ok && r.rendered).toEqual({
      definition: expect.objectContaining({
        nodes: [
          expect.objectContaining({ id: 'wait', params: { duration: 300 } }),
          expect.objectContaining({ id: 'fail', params: { message: 'day 2024-05-01', attempts: 3 } }),
        ],
      }),
      params: { day: '2024-05-01', limit: 3 },
      templated: ['wait', 'fail'],
    });
  });

  test("rendered params are checked against the node type's schema", () => {
    const r = validateDefinition(def, { run: { params: { day: '2024-05-01', limit: -1 } } });
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toContain('nodes[1].params.attempts');
  });

  test('a template naming an undeclared param, a bad default and a bad param name are problems', () => {
    const r = validateDefinition({
      name: 'p',
      params: { 'bad-name': 'string', n: { type: 'int', default: 'x' }, t: { type: 'decimal' } },
      nodes: [{ id: 'a', type: 'fail', params: { message: '{{ params.nope }}' } }],
    });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/params.bad-name: a param name starts with a letter/);
    expect(text).toMatch(/params.n.default: default of "n": expected an integer, got "x"/);
    expect(text).toMatch(/params.t.type: param type must be one of string, int, float, bool, date, timestamptz/);
    expect(text).toMatch(/nodes\[0\].params.message: template "\{\{ params.nope \}\}": .*unknown name "params.nope"/);
  });
});
