import { setImmediate as tick } from 'node:timers/promises';
import { readAhead } from '../../../src/data/rows/read-ahead';

const item = (i: number, bytes = 10) => ({ i, bytes });

describe('readAhead', () => {
  it('yields every item in order', async () => {
    const source = (async function* () {
      for (let i = 0; i < 50; i++) yield item(i);
    })();
    const seen: number[] = [];
    for await (const x of readAhead(source, 35)) seen.push(x.i);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps producing while the consumer waits, but never holds more than maxBytes plus one item', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const source = (async function* () {
      for (let i = 0; i < 40; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield item(i);
      }
    })();
    const it = readAhead(source, 50)[Symbol.asyncIterator]();
    await it.next();
    consumed++;
    // The consumer is busy elsewhere (a commit): the pump fills the queue up to its bound, then stops.
    for (let k = 0; k < 20; k++) await tick();
    expect(produced - consumed).toBeGreaterThanOrEqual(5);
    expect(produced - consumed).toBeLessThanOrEqual(6);
    for (let r = await it.next(); !r.done; r = await it.next()) {
      consumed++;
      await tick();
    }
    expect(consumed).toBe(40);
    expect(maxAhead).toBeLessThanOrEqual(7);
  });

  it('throws a producer failure at its place in the stream, after the items before it', async () => {
    const source = (async function* () {
      yield item(1);
      yield item(2);
      throw new Error('read failed');
    })();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of readAhead(source, 1_000)) seen.push(x.i);
      })(),
    ).rejects.toThrow('read failed');
    expect(seen).toEqual([1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    const source = (async function* () {
      try {
        for (let i = 0; ; i++) yield item(i);
      } finally {
        closed = true;
      }
    })();
    for await (const x of readAhead(source, 30)) if (x.i === 3) break;
    expect(closed).toBe(true);
  });
});
