import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileProblem } from '../core/base/fileProblem';

export interface InputFile {
  /** The name as the user gave it (or as found under a folder they gave); `-` for stdin. */
  readonly name: string;
  readonly text: string;
}

export class InputError extends Error {}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

function collectFolder(folder: string, out: string[]): void {
  const entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) collectFolder(full, out);
    else if (entry.isFile() && manifestExtensions.has(path.extname(entry.name).toLowerCase())) out.push(full);
  }
}

/**
 * Expands the command line's files and folders into texts. Folders give every .yaml,
 * .yml and .json file inside, in a stable order; `-` reads standard input.
 * Throws InputError naming the file that could not be read.
 */
export function readInputs(args: readonly string[], readStdin: () => string): InputFile[] {
  const files: InputFile[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push({ name: '-', text: readStdin() });
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (error) {
      throw new InputError(`${arg}: cannot read: ${fileProblem(error)}`);
    }
    const names: string[] = [];
    if (stat.isDirectory()) collectFolder(arg, names);
    else names.push(arg);
    for (const name of names) {
      try {
        files.push({ name, text: fs.readFileSync(name, 'utf8') });
      } catch (error) {
        throw new InputError(`${name}: cannot read: ${fileProblem(error)}`);
      }
    }
  }
  return files;
}
