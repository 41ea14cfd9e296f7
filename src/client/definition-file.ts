/** Reads a pipeline definition from a YAML or JSON file (by extension; YAML is a superset of JSON otherwise). */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** Thrown when a definition file cannot be read or parsed. */
export class DefinitionFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'DefinitionFileError';
  }
}

export function loadDefinitionFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DefinitionFileError(
      file,
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (err as Error).message})`,
    );
  }
  return parseDefinitionText(text, file);
}

export function parseDefinitionText(text: string, file = '(inline)'): unknown {
  if (path.extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new DefinitionFileError(file, `is not valid JSON: ${(err as Error).message}`);
    }
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new DefinitionFileError(file, `is not valid YAML:\n${doc.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return doc.toJS() as unknown;
}
