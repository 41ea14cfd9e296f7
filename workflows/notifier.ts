/**
 * Notifications of run events (`notify` in the definition): the workflow decides when an event happened and sends
 * it once through the `notify` activity, which POSTs it to the webhook. A replay, a second worker or a continued run
 * sends nothing again (the history holds the activity; continue-as-new carries the keys sent). A notification that
 * cannot be sent is logged, never a failure of the run. Deterministic.
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { PipewrightActivities } from '../src/engine/contract';
import type { NotificationDocument, NotifiedNode, NotifyEvent, NotifyRule } from '../src/model/notify';
import type { NodeStatus, RunStatus } from '../src/model/state';

const ROW_STATS = ['rowsRead', 'rowsWritten', 'rowsRejected', 'rowsLoaded'] as const;

function rowsOf(n: NodeStatus): Record<string, number> | undefined {
  const stats = n.output?.stats;
  if (!stats) return undefined;
  const rows = Object.fromEntries(ROW_STATS.filter((k) => typeof stats[k] === 'number').map((k) => [k, stats[k]]));
  return Object.keys(rows).length > 0 ? (rows as Record<string, number>) : undefined;
}

function describe(n: NodeStatus): NotifiedNode {
  const rows = rowsOf(n);
  return {
    id: n.id,
    type: n.type,
    state: n.state,
    ...(n.error ? { error: { type: n.error.type, message: n.error.message } } : {}),
    ...(rows ? { rows } : {}),
  };
}

export class Notifier {
  private readonly sent: Set<string>;
  private readonly pending: Array<Promise<void>> = [];

  constructor(
    private readonly rules: readonly NotifyRule[],
    private readonly ids: { readonly workflowId: string; readonly runId: string },
    carried: readonly string[] = [],
  ) {
    this.sent = new Set(carried);
  }

  /** Sends what the nodes call for now: each hold (once per execution), each node's rejects over a rule's limit. */
  observe(nodes: readonly NodeStatus[], status: () => RunStatus, now: string): void {
    this.rules.forEach((rule, i) => {
      const held = rule.on.includes('held');
      const rejects = rule.on.includes('rejects');
      if (!held && !rejects) return;
      for (const n of nodes) {
        if (held && n.state === 'held') this.send(`${i}:held:${n.id}:${n.executions}`, rule, 'held', status, now, n.id);
        const rejected = n.output?.stats?.rowsRejected;
        if (rejects && typeof rejected === 'number' && rejected > rule.rejectsOver)
          this.send(`${i}:rejects:${n.id}`, rule, 'rejects', status, now, n.id);
      }
    });
  }

  /**
   * Sends what the final statuses call for (rejects of the last nodes), then the run's end (completed or failed)
   * where a rule asks for it, and waits for every notification.
   */
  async end(status: RunStatus, now: string): Promise<void> {
    // Rejects of the nodes that finished last, which no pass of the scheduler observed.
    this.observe(status.nodes, () => status, now);
    const event = status.state === 'completed' || status.state === 'failed' ? status.state : undefined;
    if (event)
      this.rules.forEach((rule, i) => {
        if (rule.on.includes(event)) this.send(`${i}:${event}`, rule, event, () => status, now);
      });
    await this.flush();
  }

  /** Waits until every notification sent so far has been delivered or given up on. */
  async flush(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }

  /** The keys sent, for the next generation (continue-as-new). */
  carry(): string[] {
    return [...this.sent];
  }

  private send(
    key: string,
    rule: NotifyRule,
    event: NotifyEvent,
    status: () => RunStatus,
    now: string,
    nodeId?: string,
  ): void {
    if (this.sent.has(key)) return;
    this.sent.add(key);
    const s = status();
    const about = nodeId === undefined ? undefined : s.nodes.find((n) => n.id === nodeId);
    const document: NotificationDocument = {
      event,
      pipeline: s.pipeline,
      workflowId: this.ids.workflowId,
      runId: this.ids.runId,
      state: s.state,
      at: now,
      ...(about ? { node: describe(about) } : {}),
      failedNodes: s.nodes.filter((n) => n.state === 'failed' || n.state === 'held').map(describe),
      rows: s.nodes.filter((n) => rowsOf(n) !== undefined).map(describe),
      counts: s.counts,
    };
    const { notify } = proxyActivities<PipewrightActivities>({
      activityId: `notify:${key}`,
      summary: `notify ${event}${nodeId ? ` (${nodeId})` : ''}`,
      startToCloseTimeout: '1m',
      // Retried with backoff for about half a minute (the run's end waits for its notifications); a webhook that
      // answers 4xx is not retried.
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
    });
    this.pending.push(
      notify({ key, ...(rule.webhook ? { webhook: rule.webhook } : {}), document }).then(
        () => undefined,
        (err: unknown) => log.warn(`notification ${key} not sent: ${err instanceof Error ? err.message : String(err)}`),
      ),
    );
  }
}
