/**
 * `transform.geo`: per-row geometry operations in order (Turf, proj4 and GeographicLib), each geometry decoded once
 * and encoded once per row; rows an operation cannot handle are rejects, rows outside a `within` region dropped.
 */
import { InputDatasetError } from '../../data/errors';
import { compileGeoPlan, GeoPlanError } from '../../data/transforms/geo-plan';
import { loadRegions } from '../../data/transforms/geo-regions';
import { rowStage } from '../../data/transforms/row-stage';
import { transformGeoDescription } from '../../model/nodes/transform-geo';
import { defineStreamNode } from './define';

export const transformGeo = defineStreamNode(transformGeoDescription, {
  async transform(ctx, input) {
    const p = ctx.params;
    const regions = await loadRegions(ctx.nodeId, p.operations);
    let plan;
    try {
      plan = compileGeoPlan(p.operations, input, regions);
    } catch (err) {
      if (err instanceof GeoPlanError) throw new InputDatasetError(ctx.nodeId, err.message);
      throw err;
    }
    return rowStage({
      nodeId: ctx.nodeId,
      columns: plan.columns,
      maxRejects: p.maxRejects,
      addsText: false,
      fn: plan.apply,
    });
  },
});
