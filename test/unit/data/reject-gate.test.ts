import type { RowReject } from '../../../src/data/rows/batch';
import { RejectGate, RejectLimitError } from '../../../src/data/rows/reject-gate';

const rejects: RowReject[] = [
  { recordNo: 1, lineNo: 2, raw: 'x', reason: 'expected 3 fields, found 2' },
  { recordNo: 5, lineNo: 6, raw: 'y', reason: 'column id: not an integer (int): "y"' },
];

describe('maxRejects (RejectGate)', () => {
  it('allows up to the count and fails above it at once, naming the node, the count and the first reasons', () => {
    expect(() => new RejectGate('read', 2).count(100, rejects)).not.toThrow();
    const gate = new RejectGate('read', 1);
    let err: unknown;
    try {
      gate.count(100, rejects);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RejectLimitError);
    expect(err).toMatchObject({ name: 'TooManyRejects', nonRetryable: true, rejected: 2, records: 100 });
    expect((err as Error).message).toBe(
      'node "read": 2 of 100 records rejected, more than maxRejects allows (1); first: line 2: expected 3 fields, ' +
        'found 2; line 6: column id: not an integer (int): "y". The rejects are in the rejects table; fix the input ' +
        'or raise maxRejects',
    );
  });

  it('checks a ratio only at the end of the input, over every record', () => {
    const gate = new RejectGate('read', { ratio: 0.01 });
    gate.count(100, rejects);
    expect(() => gate.finish()).toThrow(/2 of 100 records rejected, more than maxRejects allows \(a ratio of 0.01\)/);
    const lenient = new RejectGate('read', { ratio: 0.02 });
    lenient.count(100, rejects);
    expect(() => lenient.finish()).not.toThrow();
    expect(lenient.totals).toEqual({ records: 100, rejected: 2 });
  });

  it('quotes at most five reasons', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ recordNo: i, lineNo: i + 2, raw: '', reason: `r${i}` }));
    expect(() => new RejectGate('read', 0).count(8, many)).toThrow(/first: line 2: r0; .*line 6: r4\. The/);
  });
});
