/** The colours of the pictures, one pair per node state, shared by every format so that they agree. Pure. */
import type { NodeState } from '../model/state';

export interface Swatch {
  readonly fill: string;
  readonly stroke: string;
  /** Drawn dashed: the node did not run (skipped) or was stopped (cancelled). */
  readonly dashed?: boolean;
}

/** A node of a definition (no run, so no state). */
export const PLAIN: Swatch = { fill: '#ffffff', stroke: '#374151' };

export const STATE_SWATCHES: Readonly<Record<NodeState, Swatch>> = {
  pending: { fill: '#f3f4f6', stroke: '#9ca3af' },
  running: { fill: '#dbeafe', stroke: '#2563eb' },
  succeeded: { fill: '#dcfce7', stroke: '#16a34a' },
  cached: { fill: '#ccfbf1', stroke: '#0d9488' },
  failed: { fill: '#fee2e2', stroke: '#dc2626' },
  held: { fill: '#ffedd5', stroke: '#ea580c' },
  skipped: { fill: '#f9fafb', stroke: '#9ca3af', dashed: true },
  cancelled: { fill: '#ede9fe', stroke: '#7c3aed', dashed: true },
};

export const TEXT = '#111827';
export const MUTED = '#4b5563';
export const CHAIN_STROKE = '#6b7280';
export const EDGE = '#6b7280';

export const swatchOf = (state: NodeState | undefined): Swatch => (state ? STATE_SWATCHES[state] : PLAIN);
