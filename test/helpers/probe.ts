/**
 * A node type registered through the public extension point that records when each node starts and ends in
 * the worker (this test process), so tests can observe concurrency and ordering on a real server.
 */
import { z } from 'zod';
import type { NodeType } from '../../src/nodes/node-type';
import { defineNodeType } from '../../src/nodes/node-type';

export interface ProbeEvent {
  readonly nodeId: string;
  readonly workflowId: string;
  readonly kind: 'start' | 'end';
  readonly at: number;
}

export interface Probe {
  readonly nodeType: NodeType<never>;
  readonly events: ProbeEvent[];
  /** The most nodes of one run that were running at the same time. */
  maxConcurrent(workflowId: string): number;
  at(workflowId: string, nodeId: string, kind: 'start' | 'end'): number;
}

export function createProbe(): Probe {
  const events: ProbeEvent[] = [];
  const nodeType = defineNodeType({
    name: 'probe',
    params: z.object({ ms: z.number().int().min(0).default(100) }).strict(),
    run: async (ctx) => {
      events.push({ nodeId: ctx.nodeId, workflowId: ctx.workflowId, kind: 'start', at: Date.now() });
      try {
        await ctx.sleep(ctx.params.ms);
      } finally {
        events.push({ nodeId: ctx.nodeId, workflowId: ctx.workflowId, kind: 'end', at: Date.now() });
      }
      return { stats: { ms: ctx.params.ms } };
    },
  }) as NodeType<never>;
  return {
    nodeType,
    events,
    maxConcurrent(workflowId) {
      let current = 0;
      let max = 0;
      for (const e of events.filter((x) => x.workflowId === workflowId)) {
        current += e.kind === 'start' ? 1 : -1;
        max = Math.max(max, current);
      }
      return max;
    },
    at(workflowId, nodeId, kind) {
      const e = events.find((x) => x.workflowId === workflowId && x.nodeId === nodeId && x.kind === kind);
      if (!e) throw new Error(`no ${kind} event for ${nodeId}`);
      return e.at;
    },
  };
}
