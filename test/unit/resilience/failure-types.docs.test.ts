/** The failure types users put in `nonRetryableErrorTypes` are one list, and the docs' table lists exactly them. */
import fs from 'node:fs';
import path from 'node:path';
import { FAILURE_TYPES } from '../../../src/engine/failure-types';
import { classifyError } from '../../../src/platform/resilience/classify';
import { CircuitOpenError, HttpStatusError } from '../../../src/platform/resilience/errors';
import { ROOT } from '../../helpers/paths';

test('docs/resilience.md lists every failure type once, in the order of the list', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'resilience.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Failure types'), doc.indexOf('\n## ', doc.indexOf('## Failure types') + 1));
  const rows = [...section.matchAll(/^\| `([A-Za-z]+)` +\| (yes|no) /gm)].map((m) => m[1]);
  expect(rows).toEqual([...FAILURE_TYPES]);
});

test('the classification gives types from the list', () => {
  const types = [
    classifyError(new CircuitOpenError('postgres://db', 10, 100))?.type,
    classifyError(new HttpStatusError('https://api', 503, 'Service Unavailable'))?.type,
    classifyError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))?.type,
    classifyError(Object.assign(new Error('dup'), { code: '23505' }))?.type,
  ];
  for (const t of types) expect(FAILURE_TYPES).toContain(t);
});
