/**
 * Workflow entry of the bench worker's bundle: the real interpreter next to the hand-written baseline, so both run
 * on one worker, one task queue and one server in the same process.
 */
export { pipeline } from '../../workflows';
export { handWrittenDag } from './baseline-workflow';
