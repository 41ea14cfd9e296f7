/** The `pipewright` entry point (bin/pipewright.js runs it, built or through ts-node). */
import { runCli } from './cli';

runCli(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
