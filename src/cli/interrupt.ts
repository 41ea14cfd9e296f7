/** Ctrl-C while a command sets things up: undo what was started instead of leaving a server behind. */

/** Calls `cleanup` on SIGINT or SIGTERM until the returned function is called; then exits with 130. */
export function onInterrupt(cleanup: () => Promise<void>, when: () => boolean = () => true): () => void {
  let busy = false;
  const handler = (): void => {
    if (!when() || busy) return;
    busy = true;
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

/** Resolves at the next SIGINT or SIGTERM. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.removeListener('SIGINT', done);
      process.removeListener('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
