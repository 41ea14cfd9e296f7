/** Declares a built-in streaming node type: its stage, and a standalone run that reads and writes datasets. */
import type { ZodType, ZodTypeDef } from 'zod';
import { runChain } from '../stream/chain';
import type { StreamSpec } from '../stream/stages';
import type { NodeType } from '../node-type';

export interface StreamNodeDefinition<P> {
  readonly name: string;
  readonly description: string;
  readonly params: ZodType<P, ZodTypeDef, unknown>;
  readonly stream: StreamSpec<P>;
}

export function defineStreamNode<P>(def: StreamNodeDefinition<P>): NodeType<P> {
  const type: NodeType<P> = {
    ...def,
    async run(ctx) {
      const outputs = await runChain([{ type: type as NodeType<unknown>, ctx }]);
      return outputs[ctx.nodeId];
    },
  };
  return type;
}
