/** How many rows a node's output stats count. Pure: the workflow's details and the CLI both read it. */

/**
 * The rows a node's output stats report, counted as the live progress counts them (rows out of the node; for a
 * sink, rows into the table): a sink's `rowsWritten`, a transform's `rowsOut`, a source's or a user node's `rows`,
 * else `rowsRead`.
 */
export function rowsOfStats(stats: Readonly<Record<string, number>> | undefined): number | undefined {
  return stats?.rowsWritten ?? stats?.rowsOut ?? stats?.rows ?? stats?.rowsRead;
}
