import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileProblem } from '../core/base/fileProblem';
import { decodeManifestBytes } from '../core/manifest/textEncoding';
import { StandardInputError } from './standardInput';

export interface InputFile {
  /** The name as the user gave it (or as found under a folder they gave); `-` for stdin. */
  readonly name: string;
  readonly text: string;
}

/** An input that cannot be read: printed as `podtrace: <message>`, exit status 2. */
export class InputError extends Error {}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/** The words for a failed stat or read of a folder's entry, links included. */
function entryProblem(error: unknown, full: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'a symbolic link loop (too many levels of symbolic links)';
  if (code === 'ENOENT') {
    let target: string | undefined;
    try {
      target = fs.readlinkSync(full);
    } catch {
      // Not a link after all (or gone since): the plain words say it.
    }
    if (target !== undefined) return `a symbolic link to ${target}, which does not exist`;
  }
  return fileProblem(error);
}

/**
 * The manifest files under `folder`, in a stable order. Symbolic links are followed, to files
 * and to folders, as the user would expect of a folder they named; a link to a folder that is
 * already being read above it (a loop) is an error, as is a link that leads nowhere. `seen`
 * holds the real paths of files already taken, so a file reached through a second name is
 * read once, under the first.
 */
function collectFolder(folder: string, out: string[], ancestors: readonly string[], seen: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`${folder}: cannot read: ${fileProblem(error)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(full);
      } catch (error) {
        throw new InputError(`${full}: cannot read: ${entryProblem(error, full)}`);
      }
      isDirectory = stat.isDirectory();
      isFile = stat.isFile();
    }
    if (isDirectory) {
      const real = fs.realpathSync(full);
      const loop = ancestors.find((a) => a === real);
      if (loop !== undefined) {
        throw new InputError(
          `${full}: cannot read: a symbolic link loop: it leads back to ${real}, a folder that holds it`,
        );
      }
      collectFolder(full, out, [...ancestors, real], seen);
    } else if (isFile && manifestExtensions.has(path.extname(entry.name).toLowerCase())) {
      const real = fs.realpathSync(full);
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(full);
    }
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
      try {
        files.push({ name: '-', text: readStdin() });
      } catch (error) {
        throw new InputError(
          `-: cannot read standard input: ${error instanceof StandardInputError ? error.message : fileProblem(error)}`,
        );
      }
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (error) {
      throw new InputError(`${arg}: cannot read: ${entryProblem(error, arg)}`);
    }
    const names: string[] = [];
    if (stat.isDirectory()) collectFolder(arg, names, [fs.realpathSync(arg)], new Set());
    else names.push(arg);
    for (const name of names) {
      try {
        files.push({ name, text: decodeManifestBytes(fs.readFileSync(name)).text });
      } catch (error) {
        throw new InputError(`${name}: cannot read: ${fileProblem(error)}`);
      }
    }
  }
  return files;
}

/**
 * The real paths of the files `readInputs` reads for `args` (standard input has none), for
 * refusing an output file that would overwrite one of them.
 */
export function inputRealPaths(names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    if (name === '-') continue;
    try {
      out.add(fs.realpathSync(name));
    } catch {
      // Read a moment ago; if it is gone now, nothing can be overwritten through it.
    }
  }
  return out;
}

/** What an input that gave no files is, as a clause: `empty/ holds no .yaml, .yml or .json files`. */
export function noManifestFiles(args: readonly string[]): string {
  return `${args.join(', ')} ${args.length === 1 ? 'holds' : 'hold'} no .yaml, .yml or .json files`;
}
