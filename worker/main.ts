/** Worker entry point: `node dist/worker/main.js` or `pipewright worker`. */
import { loadConfig } from '../src/platform/config/config';
import { runWorker } from './run-worker';

runWorker(loadConfig()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
