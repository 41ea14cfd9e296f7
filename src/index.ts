/** pipewright's public API. */
export * from './dag';
export { defineNodeType } from './nodes/node-type';
export type { NodeContext, NodeType } from './nodes/node-type';
export { NodeTypeRegistry } from './nodes/registry';
export { loadNodeModules } from './nodes/load-modules';
export { loadConfig } from './config/config';
export type { Config } from './config/config';
export { loadDefinitionFile, parseDefinitionText } from './definition/load';
export { createPipewrightWorker } from '../worker/create-worker';
export type { CreateWorkerOptions } from '../worker/create-worker';
export { pauseSignal, resumeSignal, setPausedUpdate, statusQuery } from '../workflows/messages';
export type { PipelineInput, PipelineResult, PipelineRunOptions } from '../workflows/input';
export { createCache } from './cache';
export type { CacheOptions, CacheStats, TwoLevelCache } from './cache';
export { createDefinitionRegistry } from './registry';
export type { DefinitionRegistry, PublishResult, PublishedDefinition } from './registry';
