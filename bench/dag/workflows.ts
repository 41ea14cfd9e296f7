/**
 * Workflow entry of the bench worker's bundle: the real interpreter next to the hand-written baseline and an empty
 * workflow, so all run on one worker, one task queue and one server in the same process.
 */
export { pipeline } from '../../workflows';
export { handWrittenDag } from './baseline-workflow';
export { emptyWorkflow } from './empty-workflow';
export { handWrittenPausable } from '../scale/pausable-baseline';
