/** What every command gets: the environment, where to write, the exit code to end with, and the settings. */
import type { Command } from 'commander';
import { PipewrightClient } from '../client/client';
import type { Config } from '../platform/config/config';
import { loadConfig } from '../platform/config/config';
import type { NodeType } from '../nodes/node-type';
import type { Terminal } from './live-display';

export interface CliIo {
  /** A line (or lines) of results, to stdout. */
  out(text: string): void;
  /** A line of diagnostics, to stderr. */
  err(text: string): void;
  /** Present when stdout is a terminal: progress is then redrawn in place instead of printed line by line. */
  readonly terminal?: Terminal;
}

export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly io: CliIo;
  exitCode: number;
}

/** Options every command accepts; they override the environment. */
export interface GlobalOptions {
  readonly address?: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  readonly nodeModules?: string;
}

/** Settings from the environment with the global options applied. */
export function configFor(ctx: CliContext, command: Command, overrides: NodeJS.ProcessEnv = {}): Config {
  const g = command.optsWithGlobals<GlobalOptions>();
  const env: NodeJS.ProcessEnv = { ...ctx.env, ...overrides };
  if (g.address !== undefined) env.TEMPORAL_ADDRESS = g.address;
  if (g.namespace !== undefined) env.TEMPORAL_NAMESPACE = g.namespace;
  if (g.taskQueue !== undefined) env.PIPEWRIGHT_TASK_QUEUE = g.taskQueue;
  if (g.nodeModules !== undefined) env.PIPEWRIGHT_NODE_MODULES = g.nodeModules;
  return loadConfig(env);
}

/** The same settings pointed at another Temporal frontend (a dev server this process started). */
export function withAddress(config: Config, address: string): Config {
  return Object.freeze({ ...config, temporal: Object.freeze({ ...config.temporal, address }) });
}

/** Connects, runs `fn`, closes. */
export async function withClient<T>(
  config: Config,
  fn: (client: PipewrightClient) => Promise<T>,
  nodeTypes: readonly NodeType<never>[] = [],
): Promise<T> {
  const client = await PipewrightClient.connect(config, { nodeTypes });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** The Web UI page of a run, when PIPEWRIGHT_UI_BASE is set. */
export function runUrl(config: Config, workflowId: string): string | undefined {
  if (!config.uiBase) return undefined;
  const base = config.uiBase.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
