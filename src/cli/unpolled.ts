/** Saying that a node waits on a task queue no worker polls, and how to get one there. */
import type { UnpolledNode } from '../client/types';
import { clockTime } from './clock';

export const unpolledLine = (n: UnpolledNode): string =>
  `${n.activityId} waits on task queue "${n.taskQueue}", which no worker polls (scheduled ${clockTime(n.scheduledAt)}): ` +
  `start one with PIPEWRIGHT_TASK_QUEUES=${n.taskQueue} pipewright worker`;
