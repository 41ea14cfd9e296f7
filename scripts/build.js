// `npm run build`: compiles the TypeScript into dist/ (incrementally) when a source changed since the last build, or
// always with --force; then stamps the build with its start time. A rebuilt dist drops the prebuilt workflow bundle
// of an earlier `npm pack` (prepack writes it again), so a worker never runs workflows older than its code.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { root, STAMP, isBuiltAndCurrent } = require('../bin/build-state');

const force = process.argv.includes('--force');
if (!force && isBuiltAndCurrent()) process.exit(0);
const started = new Date();
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
execFileSync(
  process.execPath,
  [
    tsc,
    '-p',
    path.join(root, 'tsconfig.build.json'),
    '--incremental',
    '--tsBuildInfoFile',
    path.join(root, 'dist', '.tsbuildinfo'),
  ],
  { stdio: 'inherit', cwd: root },
);
fs.rmSync(path.join(root, 'dist', 'workflow-bundle.js'), { force: true });
fs.writeFileSync(STAMP, `${started.toISOString()}\n`);
fs.utimesSync(STAMP, started, started);
process.stderr.write(`build: dist/ compiled in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s\n`);
