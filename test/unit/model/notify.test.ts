/** `notify` in a definition: rules, defaults, and clear problems for what does not fit. */
import { validateDefinition } from '../../../src/model/validate';

const withNotify = (notify: unknown) => ({ name: 'n', notify, nodes: [{ id: 'a', type: 'noop' }] });

test('one rule or a list; `on` defaults to failed and held, rejectsOver to 0', () => {
  const one = validateDefinition(withNotify({}));
  expect(one.ok && one.definition.notify).toEqual([{ on: ['failed', 'held'], rejectsOver: 0 }]);
  const list = validateDefinition(
    withNotify([
      { on: ['completed'], webhook: 'ops' },
      { on: ['rejects'], rejectsOver: 10 },
    ]),
  );
  expect(list.ok && list.definition.notify).toEqual([
    { on: ['completed'], webhook: 'ops', rejectsOver: 0 },
    { on: ['rejects'], rejectsOver: 10 },
  ]);
});

test('an unknown event, a webhook name that is no setting name, a URL in the definition: problems with their paths', () => {
  const r = validateDefinition(withNotify({ on: ['finished'], webhook: 'https://hooks.example/x', url: 'https://x' }));
  expect(r.ok).toBe(false);
  const text = r.ok ? '' : r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  expect(text).toMatch(/notify\[0\]\.on\[0\]: .*'completed' \| 'failed' \| 'held' \| 'rejects'/);
  expect(text).toMatch(/notify\[0\]\.webhook: a webhook name: .*PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>/);
  expect(text).toMatch(/notify\[0\]: .*url/);
});
