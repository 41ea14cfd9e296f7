/** Where the project lives, so relative paths work from `src/` (ts-node) and `dist/src/` (built) alike. */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The folder holding pipewright's package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'pipewright') return (cached = dir);
    }
    if (path.dirname(dir) === dir) return (cached = process.cwd());
  }
}

/** A relative path as given from the current directory if it exists there, else from the package root. */
export function resolveProjectPath(p: string, cwd = process.cwd()): string {
  if (path.isAbsolute(p)) return p;
  const fromCwd = path.resolve(cwd, p);
  return fs.existsSync(fromCwd) ? fromCwd : path.resolve(packageRoot(), p);
}
