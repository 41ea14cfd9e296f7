/**
 * The definitions registry: pipeline definitions published to Postgres by `name@version`, loaded by reference
 * through the two-level cache (namespace `definitions`). A published version never changes; publishing a new one
 * invalidates the name's cached entries (`name@latest` among them) in every worker.
 *
 * ```ts
 * const registry = createDefinitionRegistry({ pool, schema: 'pipewright', cache });
 * await registry.publish(loadDefinitionFile('orders.yaml')); // { ref: 'orders@3', status: 'published' }
 * const { definition } = await registry.load('orders@latest');
 * ```
 */
import type pg from 'pg';
import type { TwoLevelCache } from '../cache';
import { sha256Of } from '../cache/canonical-json';
import { InvalidDefinitionError } from '../../model/errors';
import { createCatalog, type NodeTypeCatalog } from '../../model/catalog';
import { validateDefinition } from '../../model/validate';
import { DefinitionConflictError, DefinitionNotFoundError } from './errors';
import { formatRef, LATEST, parseRef, VERSION_RE } from '../../model/definition-ref';
import { insertDefinition } from './sql/insert-definition';
import { listDefinitions, type DbDefinitionSummary } from './sql/list-definitions';
import { selectDefinition } from './sql/select-definition';

/** The cache namespace of loaded definitions (`PIPEWRIGHT_CACHE_TTL_DEFINITIONS` sets its TTL). */
export const DEFINITIONS_NAMESPACE = 'definitions';

export interface PublishedDefinition {
  readonly name: string;
  /** The published version (a `latest` reference resolved). */
  readonly version: string;
  /** As published (as written): what the workflow validates and runs. */
  readonly definition: unknown;
  readonly checksum: string;
  readonly publishedAt: string;
}

export interface PublishResult {
  readonly ref: string;
  /** `unchanged`: that version was already published with the same content. */
  readonly status: 'published' | 'unchanged';
  readonly checksum: string;
}

export interface DefinitionRegistry {
  /**
   * Validates and publishes a definition under its name and version. Throws `InvalidDefinitionError` (every
   * problem, with its path) or `DefinitionConflictError` (the version exists with other content).
   */
  publish(definition: unknown, options?: { readonly catalog?: NodeTypeCatalog }): Promise<PublishResult>;
  /** The definition a reference names; throws `DefinitionNotFoundError` (listing the published versions). */
  load(ref: string): Promise<PublishedDefinition>;
  list(name?: string): Promise<DbDefinitionSummary[]>;
}

export interface DefinitionRegistryOptions {
  readonly pool: pg.Pool;
  /** The project schema holding the `definitions` table. */
  readonly schema: string;
  /** Loads go through its `definitions` namespace; publishing invalidates there. Default: no caching. */
  readonly cache?: TwoLevelCache;
  /** Resolves once the migrations are applied (the worker's `DataServices.ready`); default nothing to wait for. */
  readonly ready?: () => Promise<void>;
}

/** SQLSTATE 42P01: the `definitions` table does not exist yet in a database nothing was published to. */
const isUndefinedTable = (err: unknown): boolean => (err as { code?: unknown } | undefined)?.code === '42P01';

export function createDefinitionRegistry(options: DefinitionRegistryOptions): DefinitionRegistry {
  const { pool, schema } = options;
  const ready = options.ready ?? (async () => undefined);
  const cache = options.cache?.namespace<PublishedDefinition>(DEFINITIONS_NAMESPACE);

  const fromDb = async (name: string, version: string): Promise<PublishedDefinition | undefined> => {
    await ready();
    let row;
    try {
      row = await selectDefinition(pool, schema, name, version === LATEST ? undefined : version);
    } catch (err) {
      // Nothing was ever published to this database.
      if (isUndefinedTable(err)) return undefined;
      throw err;
    }
    if (!row) return undefined;
    return {
      name: row.name,
      version: row.version,
      definition: row.definition,
      checksum: row.checksum,
      publishedAt: row.published_at.toISOString(),
    };
  };

  return {
    async publish(definition, publishOptions = {}) {
      const catalog = publishOptions.catalog ?? createCatalog();
      const validation = validateDefinition(definition, { catalog });
      if (!validation.ok) throw new InvalidDefinitionError(validation.problems);
      const { name, version } = validation.definition;
      if (!VERSION_RE.test(version) || version === LATEST)
        throw new InvalidDefinitionError([
          {
            path: 'version',
            message: `a published version is letters, digits, ".", "_" or "-" (not "${LATEST}"), at most 63; got "${version}"`,
          },
        ]);
      await ready();
      const checksum = sha256Of(definition);
      const ref = formatRef({ name, version });
      const result = await insertDefinition(pool, schema, { name, version, definition, checksum });
      if (!result.inserted) {
        if (result.existingChecksum !== checksum) throw new DefinitionConflictError(ref);
        return { ref, status: 'unchanged', checksum };
      }
      // `name@latest` now names this version: every worker drops what it cached under the name.
      await cache?.invalidatePrefix(`${name}@`);
      return { ref, status: 'published', checksum };
    },

    async load(text) {
      const ref = parseRef(text);
      const key = formatRef(ref);
      const found = cache
        ? await cache.getOrLoad(key, () => fromDb(ref.name, ref.version))
        : await fromDb(ref.name, ref.version);
      if (found) return found;
      await ready();
      const published = await listDefinitions(pool, schema, ref.name).catch(() => []);
      throw new DefinitionNotFoundError(
        key,
        published.map((d) => d.version),
      );
    },

    async list(name) {
      await ready();
      try {
        return await listDefinitions(pool, schema, name);
      } catch (err) {
        if (isUndefinedTable(err)) return [];
        throw err;
      }
    },
  };
}
