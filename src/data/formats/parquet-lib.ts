/**
 * hyparquet and its codecs, loaded once. Both ship only ES modules and this project compiles to CommonJS, where
 * TypeScript would turn `import()` into `require()`: the import is built at run time so that Node performs a real
 * one. Jest's CommonJS runtime has no `import()` (it throws without --experimental-vm-modules); there, and only
 * there, the packages come through `require()`, which jest.config.js compiles to CommonJS.
 */
import type * as Hyparquet from 'hyparquet';

export type HyparquetLib = Pick<typeof Hyparquet, 'parquetMetadataAsync' | 'parquetRead' | 'parquetSchema'> & {
  readonly compressors: Hyparquet.Compressors;
};

const nativeImport = new Function('s', 'return import(s)') as (specifier: string) => Promise<unknown>;

async function load(specifier: string): Promise<unknown> {
  try {
    return await nativeImport(specifier);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG') throw err;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest only: see the module comment.
    return require(specifier) as unknown;
  }
}

let lib: Promise<HyparquetLib> | undefined;

/** The Parquet reader's functions and every codec it may need (snappy, gzip, brotli, zstd, lz4). */
export function loadHyparquet(): Promise<HyparquetLib> {
  lib ??= Promise.all([load('hyparquet'), load('hyparquet-compressors')]).then(([h, c]) => {
    const { parquetMetadataAsync, parquetRead, parquetSchema } = h as typeof Hyparquet;
    return {
      parquetMetadataAsync,
      parquetRead,
      parquetSchema,
      compressors: (c as { compressors: Hyparquet.Compressors }).compressors,
    };
  });
  lib.catch(() => (lib = undefined));
  return lib;
}
