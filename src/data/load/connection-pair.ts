/**
 * The connections of one load and the order of its commits. While batch n drains its COPY and commits on one
 * connection, batch n+1 begins on a second, so the worker goes on encoding and sending rows instead of waiting
 * at every batch boundary for Postgres to work through the data in flight. Commits stay in batch order (n+1's
 * starts only once n's has finished), so the ledger and the heartbeats move exactly as with one connection.
 *
 * An upsert overlaps too: its writes go to a temporary table of the batch's connection, and it applies them to the
 * target when the batch commits, so batches still apply one after another (a later batch's rows win). A load does
 * not overlap when the pool has no room for a second connection without waiting. A load holding two connections gives
 * one back after a commit when someone waits for the pool, and goes on with one: loads never wait on each other
 * for connections longer than a batch.
 */
import type pg from 'pg';

export class ConnectionPair {
  private readonly clients: pg.PoolClient[] = [];
  /** The commit in flight and the connection it runs on. */
  private pending: { readonly client: pg.ClientBase; readonly done: Promise<void> } | undefined;
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly overlap: boolean,
  ) {}

  /** The load's first connection (it also reads the ledger). */
  async first(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    this.clients.push(client);
    return client;
  }

  /**
   * A connection with no commit in flight: the other one, a second one when overlapping and the pool has room,
   * or else the first once its commit has finished.
   */
  async free(): Promise<pg.PoolClient> {
    const busy = this.pending?.client;
    const idle = this.clients.find((c) => c !== busy);
    if (idle) return idle;
    if (this.overlap && this.clients.length < 2 && hasRoom(this.pool)) {
      const client = await this.pool.connect();
      this.clients.push(client);
      return client;
    }
    await this.settled();
    return this.clients[0] as pg.PoolClient;
  }

  /** Starts `commit` (of a batch on `client`), after `settled()`; waits for it unless overlapping. */
  async startCommit(client: pg.ClientBase, commit: () => Promise<void>): Promise<void> {
    if (this.pending) throw new Error('a batch commit is still in flight: wait for settled() first');
    const done = commit().then(() => this.yieldIfWanted(client));
    this.pending = { client, done };
    done.catch((error: unknown) => (this.failure ??= { error }));
    if (!this.overlap) await this.settled();
  }

  /** Throws the error of a commit that failed while the next batch was being written. */
  throwIfCommitFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the commit in flight; throws its error if it failed. */
  async settled(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    await pending.done;
    if (this.pending === pending) this.pending = undefined;
  }

  /** After a commit on `client`: gives it back to the pool if the load holds another and someone waits for one. */
  private yieldIfWanted(client: pg.ClientBase): void {
    const at = this.clients.indexOf(client as pg.PoolClient);
    if (at < 0 || this.clients.length < 2 || this.pool.waitingCount === 0) return;
    this.clients.splice(at, 1);
    (client as pg.PoolClient).release();
  }

  /** Returns the connections to the pool; with `reason`, they are discarded (one may be mid-protocol). */
  release(reason?: Error): void {
    for (const client of this.clients.splice(0)) client.release(reason);
  }
}

/** Whether `pool` can hand out another connection without anyone waiting for it. */
function hasRoom(pool: pg.Pool): boolean {
  return pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < (pool.options.max ?? 10));
}
