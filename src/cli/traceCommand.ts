// `podtrace trace`: applies manifests to a fresh simulated cluster, runs it in virtual
// time (to quiescence or --until), prints the timeline and per-pod summary, and writes
// --json, --perfetto, --otlp and --report files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileProblem } from '../core/base/fileProblem';
import { hasErrors } from '../core/base/finding';
import { printableText } from '../core/base/printableText';
import { parseManifestText } from '../core/manifest/base/parse';
import { decodeManifestBytes } from '../core/manifest/textEncoding';
import { validateWithLaterApplies } from '../core/manifest/validate';
import { defaultProfile, mergeProfile, type LatencyProfile } from '../core/sim/profile/profile';
import { parseScenario, type ScenarioAction, type ScenarioManifest } from '../core/sim/scenario/scenario';
import { ScenarioError } from '../core/sim/scenario/scenarioFields';
import { chromeTraceChunks } from '../core/trace/chromeTrace';
import { otlpTraceLines } from '../core/trace/otlpTrace';
import { manifestObjects, traceInSimulator } from '../core/trace/simulatedTrace';
import { TraceLimitError } from '../core/trace/traceLimits';
import { formatTimeline } from '../core/trace/timelineText';
import { traceJsonChunks, TraceSources } from '../core/trace/traceJson';
import { ownersFromLineage } from '../core/trace/traceObjects';
import { readTimelineApp, reportHtmlChunks, TimelineAppMissingError, type TimelineApp } from '../report/reportFile';
import { finishedSimulatedTrace, finishedTraceMessages } from '../report/traceMessages';
import { formatText } from './findingFormats';
import { limitFlags, parseTraceArgs, traceHelp, type TraceArgs } from './traceArgs';
import { InputError, inputRealPaths, noManifestFiles, readInputs } from './inputFiles';
import { refuseOverwritingInputs } from './outputFiles';
import { UsageError } from './usageError';
import { podtraceVersion } from './version';

export function loadProfile(spec: string): LatencyProfile {
  if (spec === 'default') return defaultProfile;
  if (!fs.existsSync(spec))
    throw new UsageError(`--profile: "${spec}" is neither a known profile (default) nor a readable file`);
  let overrides: unknown;
  try {
    overrides = JSON.parse(fs.readFileSync(spec, 'utf8'));
  } catch (e) {
    throw new UsageError(
      `--profile: ${spec}: ${e instanceof SyntaxError ? `not JSON: ${e.message}` : `cannot read: ${fileProblem(e)}`}`,
    );
  }
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
    throw new UsageError(
      `--profile: ${spec}: expected a JSON object with "steps" and "constants" overriding the default profile`,
    );
  try {
    return mergeProfile(overrides as Record<string, unknown>);
  } catch (e) {
    throw new UsageError(`--profile: ${spec}: ${(e as Error).message}`);
  }
}

/**
 * An output file must be writable before the cluster runs: a run of minutes is not lost to a
 * mistyped folder at the end. (Writing can still fail later, e.g. when the disk fills up.)
 */
function checkOutput(option: string, file: string): void {
  const cannot = (why: string) => new InputError(`${option} ${file}: cannot write: ${why}`);
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    // Not there yet (or under something that is not a folder, which the folder's check says).
  }
  if (stat?.isDirectory()) throw cannot('is a directory');
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (error) {
    throw cannot((error as NodeJS.ErrnoException).code === 'ENOENT' ? `no such directory ${dir}` : fileProblem(error));
  }
  if (!dirStat.isDirectory()) throw cannot(`${dir} is not a directory`);
  try {
    // A new file is created in `dir`.
    fs.accessSync(stat ? file : dir, fs.constants.W_OK);
  } catch (error) {
    throw cannot(fileProblem(error));
  }
}

/** The output files asked for, by option. */
function outputsOf(args: TraceArgs): { option: string; file: string }[] {
  const all = [
    { option: '--json', file: args.json },
    { option: '--perfetto', file: args.perfetto },
    { option: '--otlp', file: args.otlp },
    { option: '--report', file: args.report },
  ];
  return all.flatMap((o) => (o.file === undefined ? [] : [{ option: o.option, file: o.file }]));
}

/** The actions of a scenario file; `apply` files are read relative to it. */
function readScenario(file: string): ScenarioAction[] {
  let text: string;
  try {
    text = decodeManifestBytes(fs.readFileSync(file)).text;
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${fileProblem(e)}`);
  }
  try {
    // The scenario and what it applies are decoded as the input files are (a BOM, UTF-16).
    return parseScenario(text, (p) => decodeManifestBytes(fs.readFileSync(path.resolve(path.dirname(file), p))).text);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(scenarioProblem(file, e));
    throw e;
  }
}

/** A scenario's error as `file:line: action N: field: expected …, got …`. */
function scenarioProblem(file: string, error: ScenarioError): string {
  return `${file}${error.line !== undefined ? `:${error.line}` : ''}: ${error.message}`;
}

/**
 * Runs the simulation; a scenario action that cannot be carried out on the cluster as it is
 * then (a node it does not have) stops the run with the action's place in the scenario.
 * Nothing has been written yet.
 */
function simulate<T>(args: TraceArgs, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScenarioError)
      throw new InputError(`${scenarioProblem(args.scenario ?? 'scenario', error)}; nothing was written`);
    if (error instanceof TraceLimitError) {
      const flag = limitFlags[error.limit];
      const value = error.limit === 'time' ? error.max / 1000 : error.max;
      throw new InputError(`${error.message}; the limit is set by ${flag} (now ${value}); nothing was written`);
    }
    throw error;
  }
}

/**
 * The name findings give a manifest a scenario applies: its file
 * beside the scenario, the scenario itself, or the action's text.
 */
function manifestName(scenario: string, manifest: ScenarioManifest): string {
  if (manifest.kind === 'file') return path.join(path.dirname(scenario), manifest.file);
  if (manifest.kind === 'inline') return scenario;
  return `${scenario} (action ${manifest.action}: apply text)`;
}

/**
 * Writes `chunks` to `file`. An existing regular file is overwritten in place and cut to the new
 * length at the end rather than truncated first: truncating a large file frees all its blocks
 * at once and makes the file system flush it on close (ext4's replace-via-truncate), tens of
 * milliseconds for a 70 MB trace written again; writing over its pages costs less than that.
 * Symbolic links, hard links and the file's mode are kept either way.
 */
function writeChunks(option: string, file: string, chunks: Iterable<string>): void {
  let fd: number | undefined;
  let inPlace = false;
  try {
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      fd = fs.openSync(file, 'r+');
      inPlace = true;
    }
  } catch {
    // Not readable as well as writable: truncated and written as usual.
  }
  try {
    fd ??= fs.openSync(file, 'w');
  } catch (error) {
    throw new InputError(`${option} ${file}: cannot write: ${fileProblem(error)}`);
  }
  try {
    let written = 0;
    for (const chunk of chunks) written += fs.writeSync(fd, chunk);
    if (inPlace) fs.ftruncateSync(fd, written);
  } catch (error) {
    throw new InputError(`${option} ${file}: writing failed: ${fileProblem(error)}`);
  } finally {
    fs.closeSync(fd);
  }
}

export interface TraceIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => string;
  readonly color?: boolean;
  /** Where the built timeline app is, for --report: by default dist/webview beside dist/cli.js. */
  readonly webviewDir?: string;
}

/** The timeline app for --report, read before the cluster runs: a missing build is said up front. */
function loadTimelineApp(file: string, webviewDir: string): TimelineApp {
  try {
    return readTimelineApp(webviewDir);
  } catch (error) {
    if (error instanceof TimelineAppMissingError) throw new InputError(`--report ${file}: ${error.message}`);
    throw error;
  }
}

export function runTrace(argv: readonly string[], io: TraceIo): number {
  const args = parseTraceArgs(argv);
  const phases = new PhaseTimer();
  if (args.help) {
    io.stdout(traceHelp);
    return 0;
  }
  if (args.inputs.length === 0)
    throw new UsageError('trace needs at least one file or folder (or - for standard input)');
  if (args.json) checkOutput('--json', args.json);
  if (args.perfetto) checkOutput('--perfetto', args.perfetto);
  if (args.otlp) checkOutput('--otlp', args.otlp);
  if (args.report) checkOutput('--report', args.report);
  const app = args.report ? loadTimelineApp(args.report, io.webviewDir ?? path.join(__dirname, 'webview')) : undefined;
  const profile = loadProfile(args.profile);
  const inputs = readInputs(args.inputs, io.readStdin);
  const actions = args.scenario ? readScenario(args.scenario) : [];
  const applied = actions.flatMap((a) =>
    a.type === 'apply' ? [{ name: manifestName(args.scenario!, a.manifest), text: a.manifest.text }] : [],
  );
  // Every file read is known now: an output that names one of them would destroy it.
  const read = inputRealPaths([
    ...inputs.map((i) => i.name),
    ...(args.scenario ? [args.scenario] : []),
    ...(args.profile !== 'default' ? [args.profile] : []),
    ...actions.flatMap((a) =>
      a.type === 'apply' && a.manifest.kind === 'file' ? [manifestName(args.scenario!, a.manifest)] : [],
    ),
  ]);
  refuseOverwritingInputs(outputsOf(args), read);
  // The manifests are validated first, as `podtrace validate` would, and so is what the
  // scenario applies (each file by its name, an inline manifest at its lines in the scenario):
  // warnings are shown and the trace goes on; an error (a file that does not parse, a field or
  // value the apiserver rejects) stops it before anything is applied, with the findings saying
  // where and why. Each file is parsed once: for validation, for the objects applied, and for
  // source ranges.
  const parsed = inputs.map((input) => ({ name: input.name, file: parseManifestText(input.text) }));
  const appliedParsed = applied.map((m) => ({ name: m.name, file: parseManifestText(m.text) }));
  const validated = validateWithLaterApplies(parsed, appliedParsed, { kubernetesVersion: args.version });
  const perFile = [...validated.files, ...validated.later];
  const findings = formatText([...inputs, ...applied].map((input, i) => ({ file: input.name, findings: perFile[i] })));
  if (findings) io.stderr(findings);
  const errors = perFile.reduce((n, list) => n + list.filter((f) => f.severity === 'error').length, 0);
  if (perFile.some(hasErrors)) {
    io.stderr(
      `podtrace: not traced: ${errors} error${errors === 1 ? '' : 's'} above ` +
        `that kubectl or the apiserver would reject; nothing was applied\n`,
    );
    return 1;
  }
  // As `kubectl apply` says "no objects passed to apply": nothing to trace is a mistake.
  const objects = manifestObjects(parsed);
  if (applied.length === 0 && objects.length === 0) {
    if (inputs.length === 0)
      throw new InputError(`no objects to trace: ${noManifestFiles(args.inputs)}, and no scenario applies any`);
    throw new InputError(
      `no objects to trace: ${inputs.map((i) => i.name).join(', ')} ${inputs.length === 1 ? 'holds' : 'hold'}` +
        ' no Kubernetes objects (with apiVersion, kind and metadata.name), and no scenario applies any',
    );
  }
  phases.mark('validate');
  const trace = simulate(args, () =>
    traceInSimulator({
      files: parsed,
      objects,
      applied: appliedParsed,
      actions,
      seed: args.seed,
      profile,
      version: args.version,
      nodes: args.nodes,
      nodesGiven: args.nodesGiven,
      untilMs: args.untilMs,
      limits: args.limits,
      mark: (phase) => phases.mark(phase),
    }),
  );
  const { cluster, result, events, pods, windows, sourceOf } = trace;
  if (args.json) {
    // The document's sources table; each event gets its index in it. (After the run, in one
    // pass: mapping events as they come costs twice as much, amid the simulation's work.)
    const table = new TraceSources(sourceOf);
    cluster.ctx.trace.indexSources(table.indexOf);
    writeChunks(
      '--json',
      args.json,
      traceJsonChunks(
        {
          seed: args.seed,
          profile: profile.name,
          kubernetesVersion: args.version,
          nodes: cluster.kubelets.size,
          endedAtMs: result.time,
          stopReason: result.reason,
        },
        events,
        pods,
        windows,
        table.ranges.keys(),
      ),
    );
  }
  if (args.perfetto) writeChunks('--perfetto', args.perfetto, chromeTraceChunks(events));
  if (args.otlp) {
    const ownerOf = ownersFromLineage(cluster.ctx.store.lineage);
    writeChunks(
      '--otlp',
      args.otlp,
      otlpTraceLines({ events, pods, windows, sourceOf, ownerOf, endedAtMs: result.time, version: podtraceVersion() }),
    );
  }
  const finished = finishedSimulatedTrace(trace, {
    title: `podtrace trace ${args.inputs.join(' ')}`,
    seed: args.seed,
    profile: profile.name,
    version: args.version,
    files: [...inputs, ...applied].map((f) => f.name),
  });
  if (args.report && app)
    writeChunks(
      '--report',
      args.report,
      reportHtmlChunks(finishedTraceMessages(finished), app, { title: finished.title }),
    );
  phases.mark('write');
  if (!args.quiet) io.stdout(formatTimeline(events, pods, windows, { color: io.color ?? false, sourceOf }));
  phases.mark('timeline');
  io.stdout(`\n${printableText(finished.summary)}\n`);
  // For benchmarks: where the wall time of a run went, without a profiler.
  if (process.env.PODTRACE_PHASES) io.stderr(`podtrace phases ${JSON.stringify(phases.durations)}\n`);
  return 0;
}

/** Wall time per phase of a run, in milliseconds: each mark ends the phase it names. */
class PhaseTimer {
  private last = performance.now();
  readonly durations: Record<string, number> = {};

  mark(phase: string): void {
    const now = performance.now();
    this.durations[phase] = Math.round(now - this.last);
    this.last = now;
  }
}
