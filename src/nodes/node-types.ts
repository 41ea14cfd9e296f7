/** The node types a worker can run: the built-ins (engine and data) plus any the user registers. */
import type { NodeTypeCatalog } from '../model/catalog';
import { DuplicateNodeTypeError } from '../model/errors';
import { BUILTIN_IMPLEMENTATIONS } from './builtin-types';
import type { NodeType } from './node-type';

export class NodeTypes {
  private readonly types = new Map<string, NodeType<unknown>>();

  constructor(types: Iterable<NodeType<never>> = []) {
    for (const t of [...Object.values(BUILTIN_IMPLEMENTATIONS), ...types]) this.register(t);
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

  /** Name to description, for validation. */
  catalog(): NodeTypeCatalog {
    return new Map<string, NodeType<unknown>>(this.types);
  }
}
