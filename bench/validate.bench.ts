// `npm run bench -- validate`: podtrace's validation against yaml-language-server 2.0.0 (in
// its single-schema and Kubernetes modes) and a bare `yaml` parse, all measured in this one
// run on ../shared/corpus/bench-2000.yaml, three ways:
//   inProcess   warm, best of BENCH_RUNS (5): one full validation of the file;
//   process     whole cold processes, best of BENCH_RUNS: `node dist/cli.js validate
//               --format json` against a process that only parses the file;
//   edit        median of BENCH_EDITS (20) one-line edits at fixed positions: re-validation
//               after the edit (IncrementalValidator) against the server's.
// Then, per document, the errors each tool reports on the golden invalid fixtures and on
// the real manifests of the corpus. Prints one JSON object; ratios compare figures of this run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { parseAllDocuments } from 'yaml';
import { IncrementalValidator } from '../src/core/manifest/incremental';
import { validateManifestText } from '../src/core/manifest/validate';
import { buildKubernetesJsonSchemas } from './kubernetesJsonSchema';
import { countErrors, type ErrorCounts } from './errorCounts';
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

async function bestOf(n: number, fn: () => unknown): Promise<number> {
  await fn(); // warm-up: JIT, caches, lazily compiled validators
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const started = now();
    await fn();
    best = Math.min(best, now() - started);
  }
  return round(best);
}

function bestProcess(args: readonly string[]): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = now();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const elapsed = now() - started;
    if (result.status !== 0 && result.status !== 1) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    best = Math.min(best, elapsed);
  }
  return round(best);
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
      contents: "import { readFileSync } from 'node:fs'; import { parseAllDocuments } from 'yaml'; parseAllDocuments(readFileSync(process.argv[2], 'utf8'));",
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

async function timeEdits(original: string, edits: readonly string[], validate: (text: string) => unknown, reset: () => unknown): Promise<number> {
  const times: number[] = [];
  for (const edited of edits) {
    await reset();
    const started = now();
    await validate(edited);
    times.push(now() - started);
  }
  return median(times);
}

async function main(): Promise<void> {
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
  const inProcess = {
    yamlParseFloorMs: await bestOf(runs, () => parseAllDocuments(text)),
    podtraceMs: await bestOf(runs, () => validateManifestText(text)),
    yamlLanguageServerSingleSchemaMs: await bestOf(runs, () => yls.single.validate(text)),
    yamlLanguageServerKubernetesMs: await bestOf(runs, () => yls.kubernetes.validate(text)),
  };

  // (b) Whole cold processes.
  const parseOnly = buildParseOnlyScript();
  const processes = {
    nodeEmptyMs: bestProcess(['-e', '']),
    parseOnlyMs: bestProcess([parseOnly, benchFile]),
    podtraceCliMs: bestProcess(['dist/cli.js', 'validate', '--format', 'json', benchFile]),
  };

  // (c) One-line edits.
  const edits = fixedEdits(text, editCount);
  const incremental = new IncrementalValidator();
  const editResults = {
    podtraceIncrementalMs: await timeEdits(text, edits, (t) => incremental.update(t), () => incremental.update(text)),
    podtraceFullMs: await timeEdits(text, edits, (t) => validateManifestText(t), () => undefined),
    yamlLanguageServerKubernetesMs: await timeEdits(text, edits, (t) => yls.kubernetes.validate(t), () => undefined),
  };

  const accuracy: Record<string, ErrorCounts> = await countErrors(root, shared, {
    podtrace: async (t) => validateManifestText(t).filter((f) => f.severity === 'error').map((f) => f.range.start.offset),
    yamlLanguageServerSingleSchema: async (t) => offsetsOf(t, await yls.single.validate(t)),
    yamlLanguageServerKubernetes: async (t) => offsetsOf(t, await yls.kubernetes.validate(t)),
  });

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
          // Goals (issue 4): < 1 against either mode; ≤ 1.5 against the floor; ≤ 1.8 against parse-only; ≥ 50 for edits.
          podtraceOverYamlLanguageServerSingleSchema: ratio(inProcess.podtraceMs, inProcess.yamlLanguageServerSingleSchemaMs),
          podtraceOverYamlLanguageServerKubernetes: ratio(inProcess.podtraceMs, inProcess.yamlLanguageServerKubernetesMs),
          podtraceOverParseFloor: ratio(inProcess.podtraceMs, inProcess.yamlParseFloorMs),
          podtraceCliOverParseOnlyProcess: ratio(processes.podtraceCliMs, processes.parseOnlyMs),
          editSpeedupOverYamlLanguageServer: ratio(editResults.yamlLanguageServerKubernetesMs, editResults.podtraceIncrementalMs),
        },
        accuracy,
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
function offsetsOf(text: string, diagnostics: readonly { severity?: number; range: { start: { line: number; character: number } } }[]): number[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => (lineStarts[d.range.start.line] ?? text.length) + d.range.start.character);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench validate: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
