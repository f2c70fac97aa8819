// `npm run bench -- validate`: podtrace's validation against yaml-language-server 2.0.0 (in
// its single-schema and Kubernetes modes) and a bare `yaml` parse, all measured in this one
// run on ../shared/corpus/bench-2000.yaml, three ways:
//   inProcess   warm, best of BENCH_RUNS (5): one full validation of the file;
//   process     whole cold processes, best of BENCH_RUNS: `node dist/cli.js validate
//               --format json` against a process that only parses the file;
//   edit        median of BENCH_EDITS (20) one-line edits at fixed positions: re-validation
//               after the edit (IncrementalValidator) against the server's.
// Then, per document, the errors each tool reports on the golden invalid fixtures and on
// the real manifests of the corpus; and last, `largeFiles`: `podtrace validate` as a whole
// process on 10 MB and 50 MB files of small documents, with peak RSS (bench/largeFiles.ts).
// BENCH_VALIDATE_ONLY=large runs only that row. Prints one JSON object; ratios compare
// figures of this run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { parseAllDocuments } from 'yaml';
import { IncrementalValidator } from '../src/core/manifest/incremental';
import { validateManifestText } from '../src/core/manifest/validate';
import { buildKubernetesJsonSchemas } from './kubernetesJsonSchema';
import { countErrors, type ErrorCounts } from './errorCounts';
import { measureLargeFiles } from './largeFiles';
import { yamlLanguageServerValidator, type YamlLanguageServerValidator } from './yamlLanguageServer';

const root = path.resolve(__dirname, '../..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const editCount = Number(process.env.BENCH_EDITS ?? 20);

function sharedRoot(): string {
  const candidates = [path.resolve(root, '../shared'), '/work/shared'];
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'corpus/bench-2000.yaml')));
  if (!found) throw new Error(`expected corpus/bench-2000.yaml under one of ${candidates.join(', ')}`);
  return found;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Best time of each task over `n` rounds. The tasks take turns within each round, so that
 * load from elsewhere on the machine falls on all of them alike and their ratios hold.
 */
async function bestOfInterleaved<K extends string>(
  n: number,
  tasks: Record<K, () => unknown>,
): Promise<{ best: Record<K, number>; median: Record<K, number> }> {
  const names = Object.keys(tasks) as K[];
  const samples = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const k of names) await tasks[k](); // warm-up: JIT, caches, lazily compiled validators
  for (let i = 0; i < n; i++) {
    for (const k of names) {
      (globalThis as { gc?: () => void }).gc?.();
      const started = now();
      await tasks[k]();
      samples[k].push(now() - started);
    }
  }
  return {
    best: Object.fromEntries(names.map((k) => [k, round(Math.min(...samples[k]))])) as Record<K, number>,
    // Medians too: on a loaded machine the best of few runs can catch one quiet moment.
    median: Object.fromEntries(names.map((k) => [k, median(samples[k])])) as Record<K, number>,
  };
}

function runProcess(args: readonly string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

/** The parse-only process: the same `yaml` bundled as the CLI bundles it, so both load alike. */
function buildParseOnlyScript(): string {
  const outfile = path.join(root, 'out/bench/parseOnly.js');
  buildSync({
    stdin: {
      contents:
        "import { readFileSync } from 'node:fs'; import { parseAllDocuments } from 'yaml'; " +
        "parseAllDocuments(readFileSync(process.argv[2], 'utf8'));",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** One-line edits at fixed positions: a character appended to the value on evenly spaced lines. */
function fixedEdits(text: string, count: number): string[] {
  const lines = text.split('\n');
  const candidates = lines.map((line, i) => (/^\s*[A-Za-z][\w.-]*: \S/.test(line) ? i : -1)).filter((i) => i >= 0);
  const edits: string[] = [];
  for (let k = 0; k < count; k++) {
    const line = candidates[Math.floor(((k + 0.5) * candidates.length) / count)];
    const edited = [...lines];
    edited[line] = `${edited[line]}x`;
    edits.push(edited.join('\n'));
  }
  return edits;
}

/**
 * Median time of each tool to re-validate after each edit; the tools take turns on every
 * edit. `reset` brings a tool back to the original text first, untimed.
 */
async function medianOverEdits<K extends string>(
  edits: readonly string[],
  tools: Record<K, { validate: (text: string) => unknown; reset?: () => unknown }>,
): Promise<Record<K, number>> {
  const names = Object.keys(tools) as K[];
  const times = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const edited of edits) {
    for (const k of names) {
      await tools[k].reset?.();
      const started = now();
      await tools[k].validate(edited);
      times[k].push(now() - started);
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(times[k])])) as Record<K, number>;
}

async function main(): Promise<void> {
  if (process.env.BENCH_VALIDATE_ONLY === 'large') {
    process.stdout.write(
      JSON.stringify({ benchmark: 'validate', largeFiles: measureLargeFiles(root) }, null, 2) + '\n',
    );
    return;
  }
  const shared = sharedRoot();
  const benchFile = path.join(shared, 'corpus/bench-2000.yaml');
  const text = fs.readFileSync(benchFile, 'utf8');
  const documents = parseAllDocuments(text).length;
  const schemas = buildKubernetesJsonSchemas(path.join(shared, 'k8s-openapi/v1.35'));
  const yls: Record<'single' | 'kubernetes', YamlLanguageServerValidator> = {
    single: await yamlLanguageServerValidator('single', schemas),
    kubernetes: await yamlLanguageServerValidator('kubernetes', schemas),
  };

  // (a) In process, warm.
  const inProcessTimes = await bestOfInterleaved(runs, {
    yamlParseFloorMs: () => parseAllDocuments(text),
    podtraceMs: () => validateManifestText(text),
    yamlLanguageServerSingleSchemaMs: () => yls.single.validate(text),
    yamlLanguageServerKubernetesMs: () => yls.kubernetes.validate(text),
  });

  // (b) Whole cold processes (no warm-up run counts: each process starts cold anyway).
  const parseOnly = buildParseOnlyScript();
  const processTimes = await bestOfInterleaved(runs, {
    nodeEmptyMs: () => runProcess(['-e', '']),
    parseOnlyMs: () => runProcess([parseOnly, benchFile]),
    podtraceCliMs: () => runProcess(['dist/cli.js', 'validate', '--format', 'json', benchFile]),
  });

  const [inProcess, processes] = [inProcessTimes.best, processTimes.best];

  // (c) One-line edits.
  const edits = fixedEdits(text, editCount);
  const incremental = new IncrementalValidator();
  const editResults = await medianOverEdits(edits, {
    podtraceIncrementalMs: { validate: (t) => incremental.update(t), reset: () => incremental.update(text) },
    podtraceFullMs: { validate: (t) => validateManifestText(t) },
    yamlLanguageServerKubernetesMs: { validate: (t) => yls.kubernetes.validate(t) },
  });

  const accuracy: Record<string, ErrorCounts> = await countErrors(root, shared, {
    podtrace: async (t) =>
      validateManifestText(t)
        .filter((f) => f.severity === 'error')
        .map((f) => f.range.start.offset),
    yamlLanguageServerSingleSchema: async (t) => offsetsOf(t, await yls.single.validate(t)),
    yamlLanguageServerKubernetes: async (t) => offsetsOf(t, await yls.kubernetes.validate(t)),
  });

  // Last, so that its large processes do not disturb the figures above.
  const largeFiles = measureLargeFiles(root);

  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'validate',
        file: benchFile,
        bytes: Buffer.byteLength(text),
        documents,
        runs,
        edits: editCount,
        schemaKinds: schemas.kinds,
        inProcess,
        processes,
        edit: editResults,
        ratios: {
          // Goals (issue 4): < 1 against either mode; ≤ 1.5 against
          // the floor; ≤ 1.8 against parse-only; ≥ 50 for edits.
          podtraceOverYamlLanguageServerSingleSchema: ratio(
            inProcess.podtraceMs,
            inProcess.yamlLanguageServerSingleSchemaMs,
          ),
          podtraceOverYamlLanguageServerKubernetes: ratio(
            inProcess.podtraceMs,
            inProcess.yamlLanguageServerKubernetesMs,
          ),
          podtraceOverParseFloor: ratio(inProcess.podtraceMs, inProcess.yamlParseFloorMs),
          podtraceCliOverParseOnlyProcess: ratio(processes.podtraceCliMs, processes.parseOnlyMs),
          editSpeedupOverYamlLanguageServer: ratio(
            editResults.yamlLanguageServerKubernetesMs,
            editResults.podtraceIncrementalMs,
          ),
        },
        medians: {
          inProcess: inProcessTimes.median,
          processes: processTimes.median,
          podtraceOverYamlLanguageServerSingleSchema: ratio(
            inProcessTimes.median.podtraceMs,
            inProcessTimes.median.yamlLanguageServerSingleSchemaMs,
          ),
          podtraceOverYamlLanguageServerKubernetes: ratio(
            inProcessTimes.median.podtraceMs,
            inProcessTimes.median.yamlLanguageServerKubernetesMs,
          ),
          podtraceOverParseFloor: ratio(inProcessTimes.median.podtraceMs, inProcessTimes.median.yamlParseFloorMs),
          podtraceCliOverParseOnlyProcess: ratio(processTimes.median.podtraceCliMs, processTimes.median.parseOnlyMs),
        },
        accuracy,
        largeFiles,
      },
      null,
      2,
    ) + '\n',
  );
}

/**
 * The server's problems as offsets, so they can be assigned to documents. It reports YAML
 * syntax errors with severity 1 but schema violations (an unknown property, a wrong type,
 * a missing required field) with severity 2, so both count as the errors it found.
 */
function offsetsOf(
  text: string,
  diagnostics: readonly { severity?: number; range: { start: { line: number; character: number } } }[],
): number[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return diagnostics
    .filter((d) => d.severity === 1 || d.severity === 2)
    .map((d) => (lineStarts[d.range.start.line] ?? text.length) + d.range.start.character);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench validate: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
