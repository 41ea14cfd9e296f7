/** The node types a worker can run: the built-ins (engine and data) plus any the user registers. */
import type { ZodTypeAny } from 'zod';
import type { NodeTypeCatalog } from '../model/catalog';
import { BUILTIN_NODE_TYPES } from './builtin';
import { DATA_NODE_TYPE_LIST } from './data';
import type { NodeType } from './node-type';

/** Thrown when two node types share a name. */
export class DuplicateNodeTypeError extends Error {
  constructor(readonly typeName: string) {
    super(`node type "${typeName}" is registered twice; give your type another name`);
    this.name = 'DuplicateNodeTypeError';
  }
}

export class NodeTypeRegistry {
  private readonly types = new Map<string, NodeType<unknown>>();

  constructor(types: Iterable<NodeType<never>> = []) {
    for (const t of [...BUILTIN_NODE_TYPES, ...DATA_NODE_TYPE_LIST, ...types]) this.register(t);
  }

  register<P>(type: NodeType<P>): this {
    if (this.types.has(type.name)) throw new DuplicateNodeTypeError(type.name);
    this.types.set(type.name, type as NodeType<unknown>);
    return this;
  }

  get(name: string): NodeType<unknown> | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /** Name to params schema, for validation. */
  catalog(): NodeTypeCatalog {
    return new Map<string, ZodTypeAny>([...this.types].map(([name, t]) => [name, t.params as ZodTypeAny]));
  }
}
