/**
 * `pipewright graph <file | name@version | run id>`: a picture of the DAG (SVG, Mermaid or DOT) with its fused
 * chains; of a run, each node in its state's colour with its rows, attempts, duration and error.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { PipewrightClient } from '../../client/client';
import { InvalidOptionError } from '../../client/errors';
import { readRunStart } from '../../client/rerun';
import type { GraphFormat } from '../../graph/formats';
import { FORMAT_EXTENSIONS, GRAPH_FORMATS, formatOfFile, isGraphFormat, renderGraph } from '../../graph/formats';
import type { PipelineGraph } from '../../graph/model';
import { chainsOf, graphOfDefinition } from '../../graph/model';
import { looksLikeRef } from '../../model/definition-ref';
import type { RunStatus } from '../../model/state';
import type { Config } from '../../platform/config/config';
import type { CliContext, CliIo } from '../context';
import { configFor, withClient } from '../context';
import { readRunTarget } from '../definition';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { RowRates } from '../rates';
import { graphOfRun } from '../run-graph';
import { withRegistry } from '../with-registry';

interface GraphOptions {
  readonly format?: GraphFormat;
  readonly out?: string;
}

const parseFormat = (value: string): GraphFormat => {
  if (!isGraphFormat(value)) throw new InvalidArgumentError(`use one of ${GRAPH_FORMATS.join(', ')}`);
  return value;
};

/** A definition file by its look even when it is not there (then reading it says so), rather than a run id. */
const looksLikeFile = (arg: string): boolean => /\.(ya?ml|json)$/i.test(arg) || /[/\\]/.test(arg);

/** `--format`, else what `--out` ends in, else (stdout) Mermaid. */
function formatFor(options: GraphOptions): GraphFormat {
  if (options.format) return options.format;
  if (options.out === undefined || options.out === '-') return 'mermaid';
  const format = formatOfFile(options.out);
  if (format) return format;
  throw new InvalidOptionError(
    '--out',
    `cannot tell the format from "${options.out}" (${Object.keys(FORMAT_EXTENSIONS).join(', ')}): ` +
      `give --format ${GRAPH_FORMATS.join('|')}`,
  );
}

/**
 * The chains of the run's definition: the one it started with, or the published version it runs. Without it the
 * picture has no chains (a warning says why) rather than chains that may be wrong.
 */
async function runChains(
  client: PipewrightClient,
  workflowId: string,
  status: RunStatus,
  config: Config,
  io: CliIo,
): Promise<string[][] | undefined> {
  const ref = `${status.pipeline.name}@${status.pipeline.version}`;
  try {
    const { input } = await readRunStart(client.temporal, workflowId);
    const definition =
      input.definition ?? (await withRegistry(config, io, {}, (registry) => registry.load(ref))).definition;
    return chainsOf(status.nodes, definition);
  } catch (err) {
    io.err(`warning: fused chains not drawn: cannot read the definition of ${ref} (${(err as Error).message})`);
    return undefined;
  }
}

async function runGraph(
  client: PipewrightClient,
  workflowId: string,
  config: Config,
  io: CliIo,
): Promise<PipelineGraph> {
  const status = await client.status(workflowId);
  const rates = new RowRates();
  // Running nodes count their rows in heartbeats; a picture without them is still a picture.
  if (status.counts.running > 0) rates.observe(await client.progress(workflowId).catch(() => []));
  const chains = await runChains(client, workflowId, status, config, io);
  return graphOfRun(workflowId, status, { chains, rowsOf: (n) => rates.of(n), now: Date.now() });
}

function write(ctx: CliContext, out: string | undefined, text: string, summary: string): void {
  if (out === undefined || out === '-') return ctx.io.out(text);
  try {
    fs.writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`);
  } catch (err) {
    throw new CliError(`cannot write ${out}: ${(err as Error).message}`, EXIT.invalidInput);
  }
  ctx.io.out(`wrote ${out} (${summary})`);
}

export function registerGraph(program: Command, ctx: CliContext): void {
  program
    .command('graph')
    .description(
      "draw a pipeline's DAG (nodes, types, needs, fused chains), or a run's with each node's state, rows and error",
    )
    .argument('<target>', 'a definition file, a published definition (name@version), or a run (workflow id)')
    .option(
      '--format <format>',
      `${GRAPH_FORMATS.join(', ')} (default: from --out's ending, else mermaid)`,
      parseFormat,
    )
    .option('--out <file>', 'write the picture to this file (- or none: stdout)')
    .action(async (target: string, options: GraphOptions, command: Command) => {
      const format = formatFor(options);
      const config = configFor(ctx, command);
      const graph =
        fs.existsSync(target) || looksLikeRef(target) || looksLikeFile(target)
          ? graphOfDefinition((await readRunTarget(target, config, ctx.io)).valid)
          : await withClient(config, (client) => runGraph(client, target, config, ctx.io));
      const text = await renderGraph(graph, format);
      const n = graph.nodes.length;
      write(ctx, options.out, text, `${format}, ${n} node${n === 1 ? '' : 's'}`);
    });
}
