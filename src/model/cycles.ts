/** Cycle detection over `needs` edges. Pure. */

/**
 * Returns every elementary cycle found by depth-first search, each as the list of node ids along it
 * (first id repeated at the end is left out). Each strongly connected group is reported once.
 */
export function findCycles(nodes: ReadonlyArray<{ id: string; needs: readonly string[] }>): string[][] {
  const needs = new Map(nodes.map((n) => [n.id, n.needs]));
  const color = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (id: string): void => {
    color.set(id, 'grey');
    stack.push(id);
    for (const dep of needs.get(id) ?? []) {
      if (!needs.has(dep)) continue;
      const c = color.get(dep);
      if (c === 'grey') {
        const cycle = stack.slice(stack.indexOf(dep));
        const key = [...cycle].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (c === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    color.set(id, 'black');
  };

  for (const { id } of nodes) if (!color.has(id)) visit(id);
  return cycles;
}
