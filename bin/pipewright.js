#!/usr/bin/env node
// Runs the built CLI (dist/src/cli/main.js). In a source checkout whose sources changed since the last build, it
// runs them through ts-node instead (slower, never stale); with neither, it says how to build.
'use strict';
const path = require('node:path');
const { root, BUILT_CLI, isBuiltAndCurrent } = require('./build-state');

if (isBuiltAndCurrent()) {
  require(BUILT_CLI);
} else {
  let tsNode;
  try {
    tsNode = require.resolve('ts-node', { paths: [root] });
  } catch {
    process.stderr.write(
      `pipewright is not built (dist/ is missing or older than its sources): run \`npm run build\` in ${root} ` +
        '(make setup does it too)\n',
    );
    process.exit(2);
  }
  require(tsNode).register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  require(path.join(root, 'src', 'cli', 'main.ts'));
}
