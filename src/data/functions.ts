/**
 * Map and filter functions written in code and registered with the worker under a name, for
 * `transform.map` and `transform.filter` nodes that say `fn: <name>`.
 */

/** One row as an object: column name to value (text as read, or null). */
export type RowObject = Record<string, string | null>;

/** Returns the new row (its keys are the output columns), or undefined to reject the row with a reason thrown. */
export type MapFunction = (row: RowObject) => RowObject;
export type FilterFunction = (row: RowObject) => boolean;

export interface RegisteredMap {
  readonly name: string;
  /** The output columns (name and type) the function produces, in order. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly fn: MapFunction;
}

/**
 * A loader for `transform.lookup` nodes that say `loader: <name>`: given the key values missing from the cache
 * (at most one batch's worth), returns the row of each key it knows; keys it leaves out are not found.
 */
export interface RegisteredLookup {
  readonly name: string;
  /** The columns each row holds (name and type), in order; the node adds them to its input rows. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  load(keys: readonly string[]): Promise<ReadonlyMap<string, RowObject> | Readonly<Record<string, RowObject>>>;
}

export interface WorkerFunctions {
  readonly maps: ReadonlyMap<string, RegisteredMap>;
  readonly filters: ReadonlyMap<string, FilterFunction>;
  readonly lookups: ReadonlyMap<string, RegisteredLookup>;
}

/** Thrown when two functions of one kind share a name. */
export class DuplicateFunctionError extends Error {
  constructor(readonly functionName: string) {
    super(`function "${functionName}" is registered twice; give it another name`);
    this.name = 'DuplicateFunctionError';
  }
}

export interface FunctionRegistryInput {
  readonly maps?: readonly RegisteredMap[];
  readonly filters?: Readonly<Record<string, FilterFunction>>;
  readonly lookups?: readonly RegisteredLookup[];
}

export function createWorkerFunctions(input: FunctionRegistryInput = {}): WorkerFunctions {
  const maps = new Map<string, RegisteredMap>();
  for (const m of input.maps ?? []) {
    if (maps.has(m.name)) throw new DuplicateFunctionError(m.name);
    maps.set(m.name, m);
  }
  const lookups = new Map<string, RegisteredLookup>();
  for (const l of input.lookups ?? []) {
    if (lookups.has(l.name)) throw new DuplicateFunctionError(l.name);
    lookups.set(l.name, l);
  }
  return { maps, filters: new Map(Object.entries(input.filters ?? {})), lookups };
}
