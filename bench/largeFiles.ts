// The large-file row of `npm run bench -- validate`: `podtrace validate` as a whole process
// on a file of small documents of BENCH_LARGE_MB (50) megabytes and on one of
// BENCH_SMALL_MB (10), with wall time, CPU time and peak RSS (GNU time, as
// bench/sim.bench.ts measures it). Validation is linear in its input when the larger
// file's time and memory over the smaller's stay near their ratio of sizes (5), and
// memory stays a small multiple of the input when peak RSS over the file's size does.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export interface LargeFileRun {
  readonly bytes: number;
  readonly documents: number;
  readonly wallMs: number;
  /** User and system CPU time of the process (GNU time): steadier than wall time on a loaded machine. */
  readonly cpuMs: number | undefined;
  /** Peak resident set size of the whole process in MiB; undefined without GNU time. */
  readonly peakRssMiB: number | undefined;
  readonly findings: number;
}

export interface LargeFileRow {
  readonly command: string;
  readonly smaller: LargeFileRun;
  readonly larger: LargeFileRun;
  readonly ratios: {
    readonly bytes: number;
    readonly wall: number;
    readonly cpu: number | undefined;
    readonly peakRss: number | undefined;
    /** Peak RSS over the larger file's size. */
    readonly largerPeakRssOverInput: number | undefined;
  };
}

/**
 * A file of about `megabytes` MB of small documents, as a CI job meets them: ConfigMaps
 * and Services with labels, each with its own name, all valid (so the output stays small
 * and the time is validation's).
 */
function writeSmallDocuments(file: string, megabytes: number): number {
  const target = megabytes * 1024 * 1024;
  const fd = fs.openSync(file, 'w');
  let size = 0;
  let documents = 0;
  try {
    let chunk: string[] = [];
    for (let i = 0; size < target; i++) {
      const doc =
        i % 4 === 3
          ? `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  labels:\n` +
            `    app: demo\nspec:\n  selector:\n    app: demo\n  ports:\n    - port: 80\n---\n`
          : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n` +
            `  labels:\n    app: demo\ndata:\n  mode: fast\n  level: "${i % 10}"\n---\n`;
      chunk.push(doc);
      size += doc.length;
      documents++;
      if (chunk.length === 10_000) {
        fs.writeSync(fd, chunk.join(''));
        chunk = [];
      }
    }
    fs.writeSync(fd, chunk.join(''));
  } finally {
    fs.closeSync(fd);
  }
  return documents;
}

function validateProcess(root: string, file: string, documents: number): LargeFileRun {
  const args = [path.join(root, 'dist/cli.js'), 'validate', '--format', 'json', file];
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync(gnuTime, ['-f', '%U %S %M', process.execPath, ...args], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      })
    : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(
      `podtrace validate ${file}: expected exit 0, ` +
        `got ${result.status ?? result.signal}: ${result.stderr.slice(-2000)}`,
    );
  // GNU time writes user and system seconds and the peak RSS in KiB as the last line of standard error.
  const [user, system, rssKiB] = gnuTime
    ? (result.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
    : [NaN, NaN, NaN];
  const cpuMs = (user ?? NaN) * 1000 + (system ?? NaN) * 1000;
  const parsed = JSON.parse(result.stdout) as { findings?: unknown[] };
  return {
    bytes: fs.statSync(file).size,
    documents,
    wallMs: Math.round(wallMs),
    cpuMs: Number.isFinite(cpuMs) ? Math.round(cpuMs) : undefined,
    peakRssMiB: Number.isFinite(rssKiB) ? Math.round(rssKiB / 1024) : undefined,
    findings: Array.isArray(parsed.findings) ? parsed.findings.length : -1,
  };
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/** Writes both files in a temporary folder, validates each once as a whole process, removes them. */
export function measureLargeFiles(root: string): LargeFileRow {
  const smallerMb = Number(process.env.BENCH_SMALL_MB ?? 10);
  const largerMb = Number(process.env.BENCH_LARGE_MB ?? 50);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-bench-large-'));
  try {
    const smallerFile = path.join(dir, `small-documents-${smallerMb}mb.yaml`);
    const largerFile = path.join(dir, `small-documents-${largerMb}mb.yaml`);
    const smaller = validateProcess(root, smallerFile, writeSmallDocuments(smallerFile, smallerMb));
    fs.rmSync(smallerFile);
    const larger = validateProcess(root, largerFile, writeSmallDocuments(largerFile, largerMb));
    return {
      command: 'node dist/cli.js validate --format json FILE',
      smaller,
      larger,
      ratios: {
        bytes: ratio(larger.bytes, smaller.bytes),
        wall: ratio(larger.wallMs, smaller.wallMs),
        cpu: larger.cpuMs !== undefined && smaller.cpuMs !== undefined ? ratio(larger.cpuMs, smaller.cpuMs) : undefined,
        peakRss:
          larger.peakRssMiB !== undefined && smaller.peakRssMiB !== undefined
            ? ratio(larger.peakRssMiB, smaller.peakRssMiB)
            : undefined,
        largerPeakRssOverInput:
          larger.peakRssMiB !== undefined ? ratio(larger.peakRssMiB * 1024 * 1024, larger.bytes) : undefined,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
