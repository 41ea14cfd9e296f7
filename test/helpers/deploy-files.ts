/** Reading the deployment files (deploy/) for the tests that check them: there is no Docker or Kubernetes here. */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './paths';

export const DEPLOY = path.join(ROOT, 'deploy');

/** Every YAML document of a file under deploy/, with `<<` merge keys resolved (compose uses them). */
export function readYaml<T = Record<string, unknown>>(relative: string): T[] {
  const text = fs.readFileSync(path.join(DEPLOY, relative), 'utf8');
  return parseAllDocuments(text, { merge: true }).map((d) => {
    if (d.errors.length > 0) throw new Error(`${relative}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS() as T;
  });
}

export interface DockerInstruction {
  readonly stage: string;
  readonly keyword: string;
  readonly args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped, each tagged with its stage. */
export function readDockerfile(relative = 'Dockerfile'): DockerInstruction[] {
  const lines = fs.readFileSync(path.join(DEPLOY, relative), 'utf8').split('\n');
  const joined: string[] = [];
  let current = '';
  for (const line of lines) {
    if (!current && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) current += `${line.slice(0, -1)} `;
    else {
      joined.push((current + line).trim());
      current = '';
    }
  }
  let stage = '';
  let index = 0;
  return joined.map((text) => {
    const [keyword = '', ...rest] = text.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage-${index++}`;
    return { stage, keyword: keyword.toUpperCase(), args };
  });
}

/** `KEY=value` pairs of ENV instructions (the `KEY=value KEY2=value2` form). */
export function envOf(instructions: readonly DockerInstruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.keyword === 'ENV'))
    for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g))
      env[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '');
  return env;
}
