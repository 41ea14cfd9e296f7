/**
 * Fingerprints of node outputs: what made them. A node's fingerprint hashes its type, params (as parsed, defaults
 * applied), `cache.key`, and each input's fingerprint together with the input's shape (row count, columns, kind,
 * small value). Equal fingerprints within a memoized node's TTL let it reuse the earlier output.
 */
import type { NodeOutput } from '../../model/state';
import { sha256Of } from '../../platform/cache/canonical-json';

/** Bump when the recipe changes, so that fingerprints made the old way stop matching. */
const RECIPE = 1;

export interface FingerprintedNode {
  readonly type: string;
  readonly params: unknown;
  /** `cache.key` of the definition. */
  readonly key?: string;
}

/** An input as the fingerprint sees it: where it came from and what it holds (never where it is stored). */
export function inputFingerprint(output: NodeOutput): unknown {
  const d = output.dataset;
  return {
    from: output.fingerprint ?? null,
    dataset: d ? { kind: d.kind, format: d.format ?? null, rows: d.rows ?? null, columns: d.columns ?? null } : null,
    value: output.value ?? null,
  };
}

export function nodeFingerprint(node: FingerprintedNode, inputs: Readonly<Record<string, NodeOutput>>): string {
  const ids = Object.keys(inputs).sort();
  return sha256Of({
    recipe: RECIPE,
    type: node.type,
    params: node.params ?? {},
    key: node.key ?? null,
    inputs: ids.map((id) => [id, inputFingerprint(inputs[id] as NodeOutput)]),
  });
}

/**
 * Fingerprints of a fused chain's members, in order: the first from the chain's inputs, each next one from the
 * one before (whose output, inside a chain, is statistics only).
 */
export function chainFingerprints(
  members: ReadonlyArray<FingerprintedNode & { readonly id: string }>,
  inputs: Readonly<Record<string, NodeOutput>>,
): string[] {
  const out: string[] = [];
  let upstream: Readonly<Record<string, NodeOutput>> = inputs;
  for (const m of members) {
    const fp = nodeFingerprint(m, upstream);
    out.push(fp);
    upstream = { [m.id]: { fingerprint: fp } };
  }
  return out;
}
