/** Waits until a Temporal frontend accepts connections and knows the namespace. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';

export interface WaitReadyOptions {
  readonly address: string;
  readonly namespace: string;
  readonly deadline: number;
  /** Stops waiting early with this message, e.g. when the server process exited. */
  readonly gaveUp?: () => string | undefined;
}

/** Resolves once ready; rejects with the last error's message at the deadline. */
export async function waitForTemporal(options: WaitReadyOptions): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < options.deadline) {
    const stop = options.gaveUp?.();
    if (stop) throw new Error(stop);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({
        address: options.address,
        connectTimeout: Math.max(100, Math.min(2_000, options.deadline - Date.now())),
      });
      await connection.workflowService.describeNamespace({ namespace: options.namespace });
      return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    } finally {
      await connection?.close();
    }
    await sleep(100);
  }
  throw new Error(`not ready by the deadline (${last})`);
}
