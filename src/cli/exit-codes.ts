/** Exit codes of the CLI. */
export const EXIT = {
  /** Success; for `run`, the run completed. */
  ok: 0,
  /** The run failed (or was terminated or timed out), or the operation failed. */
  failed: 1,
  /** Invalid input: a definition with problems, an unreadable file, a bad option or setting. Nothing was started. */
  invalidInput: 2,
  /** Temporal cannot be reached, or the local dev server cannot be started. */
  unavailable: 3,
  /** The run was cancelled, or watching was interrupted with Ctrl-C (the run goes on). */
  cancelled: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
