// Whether the built CLI (dist/) is current with its TypeScript sources; shared by bin/pipewright.js and the build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** Written at the end of every build, with the time the build started. */
const STAMP = path.join(root, 'dist', '.build-stamp');
const BUILT_CLI = path.join(root, 'dist', 'src', 'cli', 'main.js');
const SOURCE_DIRS = ['src', 'workflows', 'activities', 'worker'];
const BUILD_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** A source checkout (not an installed package, which ships no TypeScript sources). */
const isCheckout = () => fs.existsSync(path.join(root, 'src', 'cli', 'main.ts'));

/** Whether a TypeScript source or a build setting changed after `ms` (epoch milliseconds). */
function changedSince(ms) {
  for (const f of BUILD_FILES) {
    const file = path.join(root, f);
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs > ms) return true;
  }
  const stack = SOURCE_DIRS.map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(file);
      else if (entry.name.endsWith('.ts') && fs.statSync(file).mtimeMs > ms) return true;
    }
  }
  return false;
}

/** Whether dist/ holds a CLI built from the current sources (always, in an installed package). */
function isBuiltAndCurrent() {
  if (!fs.existsSync(BUILT_CLI)) return false;
  if (!isCheckout()) return true;
  return fs.existsSync(STAMP) && !changedSince(fs.statSync(STAMP).mtimeMs);
}

module.exports = { root, STAMP, BUILT_CLI, isCheckout, isBuiltAndCurrent };
