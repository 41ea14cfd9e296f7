import { mapAsync, prefetch } from '../../../src/stream/prefetch';

describe('prefetch', () => {
  it('keeps at most depth items requested ahead and yields them in order', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const source = (async function* () {
      for (let i = 0; i < 20; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield i;
      }
    })();
    const seen: number[] = [];
    for await (const x of prefetch(source, 3)) {
      consumed++;
      seen.push(x);
      await new Promise((r) => setImmediate(r));
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it('surfaces a producer failure without an unhandled rejection', async () => {
    const source = (async function* () {
      yield 1;
      throw new Error('read failed');
    })();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of prefetch(
          mapAsync(source, (v) => v * 2),
          4,
        ))
          seen.push(x);
      })(),
    ).rejects.toThrow('read failed');
    expect(seen).toEqual([2]);
  });
});
