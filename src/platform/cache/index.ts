/** The two-level cache: L1 in process, L2 in Redis, single flight, invalidation broadcast. */
export { createCache } from './cache';
export type { CacheOptions, CacheStats, TwoLevelCache } from './cache';
export { CacheNamespace } from './namespace';
export type { BatchLoader, NamespaceStats, SetOptions } from './namespace';
export type { CacheRequestCount, CacheLevel, CacheResult } from './counters';
export type { CallGuard, CacheLog } from './redis-link';
export * from './settings';
