/** Reads a definition file and validates it with the built-in and the user's node types. */
import { InvalidDefinitionError } from '../client/errors';
import type { PipelineDefinition } from '../dag/schema';
import { validateDefinition } from '../dag/validate';
import { loadDefinitionFile } from '../definition/load';
import { loadNodeModules } from '../nodes/load-modules';
import type { NodeType } from '../nodes/node-type';
import { NodeTypeRegistry } from '../nodes/registry';

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
  const result = validateDefinition(definition, { catalog: new NodeTypeRegistry(nodeTypes).catalog() });
  if (!result.ok) throw new InvalidDefinitionError(result.problems, file);
  return { file, definition, valid: result.definition, nodeTypes };
}
