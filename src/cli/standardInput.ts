// Standard input read whole, for `-` among the inputs. Node's readFileSync(0) throws when
// stdin is a folder (`podtrace validate - < dir`) and when it is non-blocking and empty
// (EAGAIN: a CI runner or a parent process can hand stdin over in that mode): both are
// said in words here, naming standard input, never as a stack trace.
import * as fs from 'node:fs';
import { fileProblem } from '../core/base/fileProblem';
import { decodeManifestBytes } from '../core/manifest/textEncoding';

/** A standard input that cannot be read: the message says why, in the words after "cannot read:". */
export class StandardInputError extends Error {}

/**
 * How long a non-blocking standard input may stay without a byte before the read gives up.
 * GNU cat gives up at once ("Resource temporarily unavailable"); a short wait lets a writer
 * that starts a moment late (`kustomize build | podtrace validate -`) still be read.
 */
const idleLimitMs = 2_000;
const chunkBytes = 1 << 16;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads `fd` to its end, decoded as kubectl decodes a manifest (a BOM selects UTF-8 or UTF-16;
 * see textEncoding.ts); throws StandardInputError saying why it cannot.
 */
export function readStandardInput(fd = 0, idleMs = idleLimitMs): string {
  const chunks: Buffer[] = [];
  let idle = 0;
  let wait = 5;
  for (;;) {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let n: number;
    try {
      n = fs.readSync(fd, buffer, 0, chunkBytes, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
        if (idle >= idleMs) {
          throw new StandardInputError(
            `standard input is non-blocking and nothing came for ${idleMs / 1000} s ` +
              '(resource temporarily unavailable); pipe a manifest in, or name a file instead of -',
          );
        }
        sleep(wait);
        idle += wait;
        wait = Math.min(wait * 2, 100);
        continue;
      }
      if (code === 'EOF') break;
      throw new StandardInputError(
        code === 'EISDIR' ? 'standard input is a directory, not a file or a pipe' : fileProblem(error),
      );
    }
    if (n === 0) break;
    chunks.push(buffer.subarray(0, n));
    idle = 0;
    wait = 5;
  }
  return decodeManifestBytes(Buffer.concat(chunks)).text;
}
