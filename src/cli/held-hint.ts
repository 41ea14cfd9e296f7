/** What an operator can do about a held node. */
export const heldHint = (workflowId: string, nodeId: string): string =>
  `${nodeId} is held: fix the cause, then \`pipewright retry ${workflowId} ${nodeId}\`, ` +
  `\`pipewright skip ${workflowId} ${nodeId} [--as succeeded]\`, or \`pipewright fail ${workflowId}\``;
