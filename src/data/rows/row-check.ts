/** The worker's row check: the model's, with the converters that need the worker (geometry to hex EWKB). */
import { compileRowCheck, type ColumnSpec, type RowCheck } from '../../model/columns/columns';
import { WORKER_CONVERTERS } from '../geo/geometry-convert';

/** Compiles the per-row check for `columns`, geometry values converted to hex EWKB. */
export const compileWorkerRowCheck = (columns: readonly ColumnSpec[]): RowCheck =>
  compileRowCheck(columns, WORKER_CONVERTERS);
