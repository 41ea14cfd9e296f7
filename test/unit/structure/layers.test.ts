/**
 * The layout's rules, checked on the import graph (README, "Layout"): folders form layers and import only from
 * layers below them; no two files import each other, even through types; the workflow bundle reaches only files
 * under the sandbox lint rule.
 */
import { cycles, importGraph, reachable } from '../../helpers/import-graph';

const { files, edges } = importGraph(['src', 'workflows', 'activities', 'worker']);

/** Layer of each top folder, bottom up. Folders on one layer do not import each other. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['src/model'],
  ['src/engine'],
  ['src/platform', 'src/graph'],
  ['src/client', 'src/data'],
  ['src/nodes'],
  ['activities', 'workflows'],
  ['worker'],
  ['src/cli'],
  ['src/index.ts'],
];
/** The sandbox: what workflow code may import. */
const SANDBOX = ['src/model', 'src/engine', 'workflows'];

const folderOf = (file: string): string => {
  const parts = file.split('/');
  return parts[0] === 'src' ? `src/${parts[1]}` : (parts[0] as string);
};
const layerOf = (file: string): number => {
  const folder = folderOf(file);
  const layer = LAYERS.findIndex((l) => l.includes(folder));
  if (layer < 0) throw new Error(`${file} is in no layer: add its folder ${folder} to LAYERS and to the README`);
  return layer;
};

test('every file belongs to a layer', () => {
  expect(files.length).toBeGreaterThan(100);
  for (const f of files) expect(() => layerOf(f)).not.toThrow();
});

test('imports point down the layers, never across or up', () => {
  const wrong = edges
    .filter((e) => folderOf(e.from) !== folderOf(e.to))
    .filter((e) => layerOf(e.to) >= layerOf(e.from))
    .map((e) => `${e.from} -> ${e.to}`);
  expect(wrong).toEqual([]);
});

test('workflow code imports only the model and the engine boundary', () => {
  const wrong = edges
    .filter((e) => folderOf(e.from) === 'workflows' && !SANDBOX.includes(folderOf(e.to)))
    .map((e) => `${e.from} -> ${e.to}`);
  expect(wrong).toEqual([]);
});

test('no two files import each other, directly or around a loop, type imports included', () => {
  expect(
    cycles(
      files,
      edges.map((e) => [e.from, e.to] as const),
    ),
  ).toEqual([]);
});

test('the parts of the platform do not import each other in a loop', () => {
  const part = (f: string): string => f.split('/').slice(0, 3).join('/').replace(/\.ts$/, '');
  const platform = edges.filter((e) => e.from.startsWith('src/platform/') && e.to.startsWith('src/platform/'));
  const parts = new Set(platform.flatMap((e) => [part(e.from), part(e.to)]));
  expect(parts.size).toBeGreaterThan(5);
  expect(
    cycles(
      parts,
      platform.map((e) => [part(e.from), part(e.to)] as const),
    ),
  ).toEqual([]);
});

test('every file the workflow bundle includes is under the sandbox lint rule', () => {
  const bundled = [...reachable(edges, 'workflows/index.ts')];
  // The bundle validates definitions, so it holds every node description (loaded on first use) and the validation.
  expect(bundled).toEqual(
    expect.arrayContaining([
      'src/model/nodes/builtin-table.ts',
      'src/model/nodes/source-csv.ts',
      'src/model/validate.ts',
    ]),
  );
  // The eager list of descriptions stays out: a run builds the params schemas of the types it uses only.
  expect(bundled).not.toContain('src/model/nodes/index.ts');
  expect(bundled.filter((f) => !SANDBOX.includes(folderOf(f)))).toEqual([]);
});

test('the import graph sees type-only imports as such', () => {
  // A check that could not fail would prove nothing: the client reaches the model only through value imports, the
  // workflow reaches the activity contract only through types.
  const contract = edges.filter((e) => e.from === 'workflows/node-activity.ts' && e.to === 'src/engine/contract.ts');
  expect(contract.map((e) => e.typeOnly)).toEqual([true]);
  expect(reachable(edges, 'workflows/index.ts').has('src/engine/contract.ts')).toBe(false);
});
