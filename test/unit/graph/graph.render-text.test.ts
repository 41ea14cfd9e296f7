/** The text formats: Mermaid (`flowchart LR`, a subgraph per chain, a class per state) and DOT (clusters). */
import { graphOfDefinition } from '../../../src/graph/model';
import { renderDot } from '../../../src/graph/render-dot';
import { renderMermaid } from '../../../src/graph/render-mermaid';
import { graphOfRun } from '../../../src/cli/run-graph';
import { chained, failedFanoutRun, fanout } from '../../helpers/graph-fixtures';
import { STATUS_T0 } from '../../helpers/run-status';

const failedRun = () => graphOfRun('fanout-demo--k1', failedFanoutRun(), { now: Date.parse(STATUS_T0) });

test('Mermaid of a definition: a node per node, a subgraph per fused chain, an arrow per need', () => {
  expect(renderMermaid(graphOfDefinition(chained()))).toBe(
    [
      'flowchart LR',
      '  %% airports-routes@1',
      '  subgraph chain_1["fused: airports → us-airports"]',
      '    direction LR',
      '    airports["airports<br/>source.csv"]',
      '    us-airports["us-airports<br/>transform.filter"]',
      '  end',
      '  subgraph chain_2["fused: shares → load"]',
      '    direction LR',
      '    shares["shares<br/>transform.map"]',
      '    load["load<br/>sink.postgres"]',
      '  end',
      '  routes["routes<br/>source.csv"]',
      '  by-state["by-state<br/>transform.sql"]',
      '  airports --> us-airports',
      '  us-airports --> by-state',
      '  routes --> by-state',
      '  by-state --> shares',
      '  shares --> load',
    ].join('\n'),
  );
});

test('Mermaid of a run: a class per state present, each node in its class, the error escaped', () => {
  const text = renderMermaid(failedRun());
  expect(text).toContain('  classDef succeeded fill:#dcfce7,stroke:#16a34a,color:#111827\n');
  expect(text).toContain('  class extract,part-1,part-2,part-3,part-5,part-6 succeeded\n');
  expect(text).toContain('  classDef failed fill:#fee2e2,stroke:#dc2626,color:#111827\n  class part-4 failed');
  expect(text).toContain('classDef skipped fill:#f9fafb,stroke:#9ca3af,color:#111827,stroke-dasharray:5 3');
  expect(text).not.toContain('classDef running');
  expect(text).toContain(
    'part-4["part-4<br/>fail<br/>failed · 4 attempts · 2.00s<br/>Error: flaky partition #lt;b#gt;#quot;4#quot;#lt;/b#gt; #amp; more: a…"]',
  );
  expect(text).toContain('  part-4 --> join');
});

test('Mermaid ids: a node id Mermaid would misread (a keyword, a double dash) gets an id of its own', () => {
  const text = renderMermaid({
    title: 'x',
    nodes: [
      { id: 'end', type: 'noop', needs: [] },
      { id: 'a--b', type: 'noop', needs: ['end'] },
      { id: 'n0', type: 'noop', needs: ['a--b'] },
    ],
    chains: [],
  });
  expect(text).toContain('  n0_["end<br/>noop"]');
  expect(text).toContain('  n1["a--b<br/>noop"]');
  expect(text).toContain('  n0["n0<br/>noop"]');
  expect(text).toContain('  n0_ --> n1\n  n1 --> n0');
});

test('DOT of a definition: a cluster per fused chain, quoted ids, an edge per need', () => {
  const text = renderDot(graphOfDefinition(chained()));
  expect(text.startsWith('digraph "airports-routes@1" {\n  graph [rankdir=LR')).toBe(true);
  expect(text).toContain(
    '  subgraph cluster_chain_1 {\n    label="fused: airports → us-airports";\n' +
      '    style="dashed,rounded"; color="#6b7280"; fontname="Helvetica"; fontsize=10;\n' +
      '    "airports" [label="airports\\nsource.csv"];\n    "us-airports" [label="us-airports\\ntransform.filter"];\n  }',
  );
  expect(text).toContain('  "us-airports" -> "by-state";\n  "routes" -> "by-state";');
  expect(text.endsWith('\n}')).toBe(true);
  expect(renderDot(graphOfDefinition(fanout()))).not.toContain('subgraph');
});

test('DOT of a run: state colours, dashed skipped nodes, the error escaped and whole in the tooltip', () => {
  const text = renderDot(failedRun());
  expect(text).toMatch(
    /"extract" \[label="extract\\nsleep\\nsucceeded · 1 attempt · 300ms\\n1,200 rows, 4,000\/s", fillcolor="#dcfce7", color="#16a34a"\];/,
  );
  expect(text).toContain(
    '"join" [label="join\\nnoop\\nskipped", fillcolor="#f9fafb", color="#9ca3af", style="rounded,filled,dashed"];',
  );
  expect(text).toContain('tooltip="Error: flaky partition <b>\\"4\\"</b> & more: a long message that goes on and on"');
  expect(renderDot({ title: 'a\\b"c', nodes: [], chains: [] })).toContain('digraph "a\\\\b\\"c" {');
});
