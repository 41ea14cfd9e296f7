/** Implements a built-in streaming node type: its stage, and a standalone run that reads and writes datasets. */
import type { NodeDescription } from '../../model/nodes/describe';
import { runChain } from '../stream/chain';
import { implementDataNode, type DataNodeContext, type NodeType, type StreamStages } from '../node-type';

export function defineStreamNode<P>(description: NodeDescription<P>, stages: StreamStages<P>): NodeType<P> {
  const type: NodeType<P> = implementDataNode(description, {
    stages,
    async run(ctx) {
      const outputs = await runChain([{ type: type as NodeType<unknown>, ctx: ctx as DataNodeContext<unknown> }]);
      return outputs[ctx.nodeId];
    },
  });
  return type;
}
