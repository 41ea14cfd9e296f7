/**
 * A workflow that returns at once: its start-to-result time is the fixed cost of any run on this server and
 * worker (start call, one workflow task, result long poll), before a single activity is scheduled.
 */
export async function emptyWorkflow(): Promise<void> {}
