/** Workflow entry point for the worker bundle. The exported function name is the workflow type: `pipeline`. */
export { pipeline } from './pipeline';
