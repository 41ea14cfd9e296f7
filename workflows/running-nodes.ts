/**
 * The activities running now, each in the cancellation scope it was started in, and why that scope was cancelled.
 * Every cancellation cancels all running nodes, so nodes started between two cancellations share one scope: a scope
 * per node would cost each start several more promises, which the SDK tracks one stack trace each. Deterministic.
 */
import { CancellationScope } from '@temporalio/workflow';
import type { RunNodeResult } from '../src/engine/contract';
import type { CancelReason } from './run-tracker';
import type { Unit } from './units';

interface CancelGroup {
  readonly scope: CancellationScope;
  reason?: CancelReason;
}

/** What becomes of a unit's activity; called after the unit no longer counts as running. */
export interface UnitOutcomes {
  succeeded(unit: Unit, result: RunNodeResult): void;
  /** `reason` is set when the unit's scope (or the whole run) was cancelled. */
  failed(unit: Unit, err: unknown, reason: CancelReason | undefined): void;
}

export class RunningNodes {
  private readonly running = new Map<string, CancelGroup>();
  private group: CancelGroup | undefined;
  private readonly root = CancellationScope.current();

  constructor(private readonly outcomes: UnitOutcomes) {}

  get size(): number {
    return this.running.size;
  }

  /** Schedules each unit's activity (`schedule`) in the scope of this group of starts. */
  launch(units: readonly Unit[], schedule: (unit: Unit) => Promise<RunNodeResult>): void {
    if (units.length === 0) return;
    const group = (this.group ??= { scope: new CancellationScope() });
    for (const unit of units) this.running.set(unit.key, group);
    const start = (unit: Unit): void => {
      let activity: Promise<RunNodeResult>;
      try {
        activity = schedule(unit);
      } catch (err) {
        // Options the SDK refuses fail the node like any other failure, not the workflow task.
        activity = Promise.reject(err);
      }
      // One then() with the bookkeeping in both branches, not then().finally(): a promise less per node.
      void activity.then(
        (result) => {
          this.running.delete(unit.key);
          this.outcomes.succeeded(unit, result);
        },
        (err: unknown) => {
          this.running.delete(unit.key);
          // Root cancellation reaches the node's scope before any handler could record a reason.
          this.outcomes.failed(
            unit,
            err,
            group.reason ?? (this.root.consideredCancelled ? 'run-cancelled' : undefined),
          );
        },
      );
    };
    // Activities belong to the scope that is current when they are scheduled: one run() for the whole group.
    void group.scope.run(async () => units.forEach(start));
  }

  /** Cancels every running node; nodes started from now on get a scope of their own. */
  cancelAll(reason: CancelReason): void {
    for (const group of this.running.values()) {
      group.reason ??= reason;
      group.scope.cancel();
    }
    this.group = undefined;
  }
}
