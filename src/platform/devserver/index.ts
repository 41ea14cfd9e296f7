/** The local Temporal dev server used by `pipewright dev` and `pipewright demo`. */
export { startDevServer } from './dev-server';
export type { DevServer, DevServerOptions } from './dev-server';
export { DevServerError } from './errors';
export { freePort, isPortFree } from './free-port';
export { packageRoot, resolveProjectPath } from './paths';
