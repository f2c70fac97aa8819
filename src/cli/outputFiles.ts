// The files `podtrace trace` writes (--json, --perfetto, --otlp, --report) must not be files
// it reads: `--json deploy.yaml` would replace the manifest with the trace. Paths are
// compared as the file system resolves them, so `./deploy.yaml`, `dir/../deploy.yaml` and a
// symbolic link to it all count as the same file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './inputFiles';

/**
 * The real path a write to `file` would reach: its own when it exists (through links), else
 * its folder's real path and its name. Undefined when neither can be resolved (checkOutput
 * says why the file cannot be written).
 */
export function outputRealPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    // Not there yet: where it would be created.
  }
  try {
    return path.join(fs.realpathSync(path.dirname(path.resolve(file))), path.basename(file));
  } catch {
    return undefined;
  }
}

/**
 * Throws InputError for an output that is one of `inputs` (real paths of the files read) or
 * the same file as another output; says which option and which file.
 */
export function refuseOverwritingInputs(
  outputs: readonly { readonly option: string; readonly file: string }[],
  inputs: ReadonlySet<string>,
): void {
  const taken = new Map<string, string>();
  for (const { option, file } of outputs) {
    const real = outputRealPath(file);
    if (real === undefined) continue;
    if (inputs.has(real)) {
      throw new InputError(
        `${option} ${file}: refusing to write: it is one of the input ` +
          `files (${real}), which the trace reads; name another file`,
      );
    }
    const other = taken.get(real);
    if (other !== undefined) {
      throw new InputError(
        `${option} ${file}: refusing to write: ${other} writes the same file (${real}); name another file`,
      );
    }
    taken.set(real, `${option} ${file}`);
  }
}
