/**
 * Reads a definition file, or a published definition by reference (`name@version`), and validates it with the
 * built-in and the user's node types.
 */
import fs from 'node:fs';
import type { PipewrightClient } from '../client/client';
import { InvalidDefinitionError } from '../model/errors';
import type { StartedRun, StartOptions } from '../client/types';
import type { Config } from '../platform/config/config';
import { looksLikeRef } from '../model/definition-ref';
import type { CliIo } from './context';
import { withRegistry } from './with-registry';
import type { PipelineDefinition } from '../model/schema';
import { validateDefinition } from '../model/validate';
import { loadDefinitionFile } from '../client/definition-file';
import { loadNodeModules } from '../nodes/load-modules';
import type { NodeType } from '../nodes/node-type';
import { NodeTypes } from '../nodes/node-types';

export interface LoadedDefinition {
  readonly file: string;
  /** As written: what the workflow receives. */
  readonly definition: unknown;
  /** After validation, defaults filled in. */
  readonly valid: PipelineDefinition;
  readonly nodeTypes: NodeType<never>[];
}

/** Throws `DefinitionFileError`, `NodeModuleError` or `InvalidDefinitionError` (every problem, with its path). */
export function readDefinition(file: string, nodeModules: readonly string[]): LoadedDefinition {
  const definition = loadDefinitionFile(file);
  const nodeTypes = loadNodeModules(nodeModules);
  const result = validateDefinition(definition, { catalog: new NodeTypes(nodeTypes).catalog() });
  if (!result.ok) throw new InvalidDefinitionError(result.problems, file);
  return { file, definition, valid: result.definition, nodeTypes };
}

/** What `run` and `start` start: a file's definition, or a published one (then `ref` is set, `latest` resolved). */
export interface RunTarget extends LoadedDefinition {
  readonly ref?: string;
}

/**
 * `arg` is a file when one exists at that path, else a reference when it looks like `name@version`: loaded from
 * the registry (throws `DefinitionNotFoundError` listing the published versions) and validated.
 */
export async function readRunTarget(arg: string, config: Config, io: CliIo): Promise<RunTarget> {
  if (fs.existsSync(arg) || !looksLikeRef(arg)) return readDefinition(arg, config.nodeModules);
  const nodeTypes = loadNodeModules(config.nodeModules);
  const found = await withRegistry(config, io, {}, (registry) => registry.load(arg));
  const ref = `${found.name}@${found.version}`;
  const result = validateDefinition(found.definition, { catalog: new NodeTypes(nodeTypes).catalog() });
  if (!result.ok) throw new InvalidDefinitionError(result.problems, ref);
  return { file: ref, ref, definition: found.definition, valid: result.definition, nodeTypes };
}

/** Starts the target: by reference (the workflow loads the published definition) or with the definition inline. */
export function startTarget(client: PipewrightClient, target: RunTarget, options: StartOptions): Promise<StartedRun> {
  return target.ref !== undefined
    ? client.startReference(target.ref, { ...options, definition: target.definition })
    : client.start(target.definition, options);
}
