/**
 * The project's import graph, read from the sources: which file imports which (relative imports only), and whether
 * an import is type-only (erased at compile time, so it never reaches a bundle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

const STATEMENT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)|require(?:\.resolve)?\(\s*'(\.[^']+)'\s*\)/g;

function walk(dir: string, out: string[]): string[] {
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) walk(rel, out);
    else if (rel.endsWith('.ts')) out.push(rel);
  }
  return out;
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return [`${base}.ts`, `${base}/index.ts`, base].find((f) => f.endsWith('.ts') && fs.existsSync(path.join(ROOT, f)));
}

/** Every .ts file under `dirs` (repository-relative, `/`-separated) and the relative imports between them. */
export function importGraph(dirs: readonly string[]): { files: string[]; edges: ImportEdge[] } {
  const files = dirs.flatMap((d) => walk(d, []));
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = fs.readFileSync(path.join(ROOT, from), 'utf8');
    for (const m of text.matchAll(STATEMENT)) {
      const spec = m[4] ?? m[5] ?? m[6];
      if (spec === undefined) continue;
      const to = resolve(from, spec);
      if (to === undefined) throw new Error(`${from}: cannot resolve import '${spec}'`);
      // `import type { A }`, and `import { type A, type B }` where every name is a type, are erased.
      const names = m[3] ?? '';
      const allTypes =
        /^\{[^}]*\}$/.test(names) &&
        names
          .slice(1, -1)
          .split(',')
          .every((n) => /^\s*(type\s|$)/.test(n));
      edges.push({ from, to, typeOnly: m[2] !== undefined || (m[1] === 'import' && allTypes && names !== '{}') });
    }
  }
  return { files, edges };
}

/** Files reachable from `entry` through imports that survive compilation (type-only imports are not followed). */
export function reachable(edges: readonly ImportEdge[], entry: string): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) (out.get(e.from) ?? out.set(e.from, []).get(e.from))?.push(e.to);
  const seen = new Set<string>([entry]);
  const stack = [entry];
  while (stack.length > 0)
    for (const next of out.get(stack.pop() as string) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  return seen;
}

/** The cycles among `nodes` (each a strongly connected group of more than one node), by Tarjan's algorithm. */
export function cycles(nodes: Iterable<string>, edges: ReadonlyArray<readonly [string, string]>): string[][] {
  const out = new Map<string, string[]>();
  for (const [a, b] of edges) if (a !== b) (out.get(a) ?? out.set(a, []).get(a))?.push(b);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return groups;
}
