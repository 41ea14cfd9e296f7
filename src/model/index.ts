/** Pure pipeline model: schema, validation, planning, states. Safe to import from workflow code. */
export * from './catalog';
export * from './cycles';
export * from './duration';
export * from './fusion';
export * from './limits';
export * from './options';
export * from './plan';
export * from './problems';
export * from './schema';
export * from './state';
export * from './nodes';
export * from './validate';
