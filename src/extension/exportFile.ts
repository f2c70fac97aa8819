// Writes an export to disk without holding the extension host: the file's pieces are taken
// from their generator for a few milliseconds at a time, gathered into writes of a few hundred
// kilobytes, and written through a stream that is waited on when it is full; between slices
// the event loop runs everything else. The pieces go to a temporary file beside the target,
// renamed over it once complete, so that a cancelled or failed export leaves no partial file
// and an existing file it was to replace untouched. No 'vscode' here: tests run it under Node.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileProblem } from '../core/base/fileProblem';

/** The user (or the caller) cancelled the export; the partial file is gone. */
export class ExportCancelledError extends Error {}

export interface WriteOptions {
  /** Asked between slices and before the file is put in place. */
  readonly cancelled: () => boolean;
  /** Told the bytes written so far after each write. */
  readonly progress?: (bytes: number) => void;
  /** Wall milliseconds of work per slice before the event loop gets a turn. */
  readonly sliceMs?: number;
  /** Characters gathered before a write. */
  readonly writeChars?: number;
}

export interface WriteResult {
  readonly bytes: number;
}

const defaultSliceMs = 10;
const defaultWriteChars = 256 * 1024;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The temporary file an export is written to: hidden, beside the target, never a name in use. */
function partialFileOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.partial`);
}

/**
 * Writes `pieces` to `target`. Resolves once the file is complete and in place; rejects with
 * ExportCancelledError when `cancelled()` said so, or with an error naming the file and the
 * system's reason; either way no partial file is left.
 */
export async function writeExportFile(
  pieces: Iterable<string>,
  target: string,
  options: WriteOptions,
): Promise<WriteResult> {
  const sliceMs = options.sliceMs ?? defaultSliceMs;
  const writeChars = options.writeChars ?? defaultWriteChars;
  const partial = partialFileOf(target);
  const iterator = pieces[Symbol.iterator]();
  const stream = fs.createWriteStream(partial, { flags: 'wx', encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  const opened = new Promise<void>((resolve) => {
    stream.once('open', () => resolve());
    stream.once('error', () => resolve());
  });
  const checked = (): void => {
    if (failure) throw failure;
    if (options.cancelled()) throw new ExportCancelledError(`export to ${target} cancelled`);
  };
  let bytes = 0;
  let gathered: string[] = [];
  let chars = 0;
  const flush = async (): Promise<void> => {
    if (gathered.length === 0) return;
    const text = gathered.length === 1 ? gathered[0] : gathered.join('');
    gathered = [];
    chars = 0;
    bytes += Buffer.byteLength(text, 'utf8');
    if (!stream.write(text)) await waitForDrain(stream);
    checked();
    options.progress?.(bytes);
  };
  try {
    await opened;
    checked();
    for (let done = false; !done;) {
      const started = performance.now();
      while (performance.now() - started < sliceMs) {
        const next = iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        gathered.push(next.value);
        chars += next.value.length;
        if (chars >= writeChars) await flush();
      }
      await flush();
      await turn();
      checked();
    }
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    checked();
    await fs.promises.rename(partial, target);
    return { bytes };
  } catch (error) {
    iterator.return?.();
    stream.destroy();
    const leftover = await removePartial(partial);
    if (error instanceof ExportCancelledError && !leftover) throw error;
    const why =
      error instanceof ExportCancelledError ? 'cancelled' : `could not write ${target}: ${fileProblem(error)}`;
    throw new Error(leftover ? `${why}; ${leftover}` : why, { cause: error });
  }
}

function waitForDrain(stream: fs.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/** Removes a partial file (one never made is fine); says why when it could not. */
async function removePartial(file: string): Promise<string | undefined> {
  try {
    await fs.promises.rm(file, { force: true });
    return undefined;
  } catch (error) {
    return `the partial file ${file} could not be removed: ${fileProblem(error)}`;
  }
}
