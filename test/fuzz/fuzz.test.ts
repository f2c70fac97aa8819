// The fuzzing harness: property tests that feed `podtrace validate` and `podtrace trace`
// hostile manifests, scenarios and arguments in process, and check that every run answers
// with a result or a clear error: nothing throws, every run ends within its budget, and every
// finding is well formed. The seed is fixed so a failure is reproducible; the number of cases
// comes from PODTRACE_FUZZ_RUNS (a few hundred by default, so the file takes well under a
// minute), and PODTRACE_FUZZ_SEED explores other seeds.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as fc from 'fast-check';
import { decodeManifestBytes } from '../../src/core/manifest/textEncoding';
import { checkProperty } from './checkProperty';
import { assertFindingsWellFormed, assertWellBehaved, runPodtrace, Workspace } from './cliHarness';
import { hostileManifestFile, hostileManifestText, unusualManifestFile, unusualManifestText } from './hostileManifests';
import { hostileArguments, hostileScenarioText } from './hostileScenarios';
import { traceBudget, traceLimitArgs, runStepwise } from './traceBudget';

const seed = Number(process.env.PODTRACE_FUZZ_SEED ?? 20261207);
const runs = Number(process.env.PODTRACE_FUZZ_RUNS ?? 300);
/** Trace runs cost more than validation: a third as many. */
const traceRuns = Math.max(1, Math.round(runs / 3));

/** Cases run, by property, printed at the end so a long run reports its count. */
const counted = new Map<string, number>();
function count(name: string): void {
  counted.set(name, (counted.get(name) ?? 0) + 1);
}

/** A case as a reader needs it: recipes and texts, not bytes. */
function describeCase(values: readonly unknown[]): string {
  return values
    .map((v) => {
      if (v !== null && typeof v === 'object' && 'recipe' in v) {
        const c = v as { recipe: string; text?: string; bytes?: Buffer };
        return `${c.recipe}\n${JSON.stringify(c.text ?? c.bytes?.toString('utf8'))}`;
      }
      return JSON.stringify(v);
    })
    .join('\n');
}

const workspace = new Workspace();
// Hostile arguments can name any output file (`--json lots`): the runs work in the workspace,
// so whatever they write lands there and is removed with it.
const checkout = process.cwd();
process.chdir(workspace.dir);
test.after(() => {
  process.chdir(checkout);
  workspace.dispose();
  const total = [...counted.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `# fuzz: seed ${seed}, ${total} cases: ${[...counted].map(([k, v]) => `${k} ${v}`).join(', ')}\n`,
  );
});

test('validate answers every hostile file with well-formed findings or a clear error', () => {
  checkProperty(
    fc.property(hostileManifestFile, hostileArguments, (file, extra) => {
      count('validate');
      const name = workspace.write(file.name, file.bytes);
      // Hostile arguments come first; `--format json` last, so the findings can be checked.
      const argv = ['validate', ...workspace.inside(extra), name, '--format', 'json'];
      const run = runPodtrace(argv);
      const { text } = decodeManifestBytes(file.bytes);
      assertWellBehaved(argv, run, text);
      if (run.code !== 2) assertFindingsWellFormed(run.stdout, new Map([[name, text]]));
    }),
    { seed, numRuns: runs, endOnFailure: true },
    describeCase,
  );
});

test('validate reads hostile standard input as it reads a file', () => {
  checkProperty(
    fc.property(hostileManifestText, (m) => {
      count('validate -');
      const argv = ['validate', '-', '--format', 'json'];
      const run = runPodtrace(argv, m.text);
      assertWellBehaved(argv, run, m.text);
      if (run.code !== 2) assertFindingsWellFormed(run.stdout, new Map([['-', m.text]]));
    }),
    { seed, numRuns: runs, endOnFailure: true },
    describeCase,
  );
});

test('trace answers hostile manifests, scenarios and arguments within its budget', () => {
  checkProperty(
    fc.property(
      fc.oneof({ weight: 2, arbitrary: unusualManifestFile }, { weight: 1, arbitrary: hostileManifestFile }),
      fc.option(hostileScenarioText, { freq: 2 }),
      fc.option(hostileArguments, { freq: 3 }),
      (file, scenario, extra) => {
        count('trace');
        const name = workspace.write(file.name, file.bytes);
        const scenarioArgs = scenario === null ? [] : ['--scenario', workspace.write('scenario.yaml', scenario)];
        // The harness's limits come last, so they hold whatever the hostile arguments asked for.
        const argv = ['trace', ...workspace.inside(extra ?? []), ...scenarioArgs, name, ...traceLimitArgs];
        const started = performance.now();
        const run = runPodtrace(argv);
        const tookMs = performance.now() - started;
        assertWellBehaved(argv, run, decodeManifestBytes(file.bytes).text);
        count(`trace → ${run.code}`);
        if (process.env.PODTRACE_FUZZ_DEBUG && run.code === 2)
          process.stderr.write(`FUZZDBG ${run.stderr.split('\n')[0].slice(0, 160)}\n`);
        assert.ok(
          tookMs < traceBudget.wallMs,
          `podtrace ${argv.join(' ')} took ${Math.round(tookMs)} ms, over the budget of ${traceBudget.wallMs} ms`,
        );
      },
    ),
    { seed, numRuns: traceRuns, endOnFailure: true },
    describeCase,
  );
});

test("the editor's stepwise run of a hostile manifest ends within its step budget", () => {
  checkProperty(
    fc.property(
      fc.oneof({ weight: 3, arbitrary: unusualManifestText }, { weight: 1, arbitrary: hostileManifestText }),
      (m) => {
        count('stepwise');
        const outcome = runStepwise(m.text);
        count(`stepwise ${outcome.ended}`);
        assert.ok(
          outcome.steps <= traceBudget.steps,
          `${outcome.steps} steps, over the budget of ${traceBudget.steps}: ${m.recipe}`,
        );
      },
    ),
    { seed, numRuns: traceRuns, endOnFailure: true },
    describeCase,
  );
});
