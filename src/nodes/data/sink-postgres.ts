/** `sink.postgres`: loads rows into a table, exactly once in effect: append (COPY), upsert, or replace. */
import { loadIntoTarget } from './postgres-load/load-target';
import { defineStreamNode } from './define';
import { sinkPostgresDescription } from '../../model/nodes/sink-postgres';

export const SINK_MODES = ['append', 'upsert', 'replace'] as const;

export const sinkPostgres = defineStreamNode(sinkPostgresDescription, {
  sink: (ctx, input) => loadIntoTarget(ctx, input),
});
