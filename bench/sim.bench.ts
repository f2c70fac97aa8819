// The simulator at scale, measured as the whole command a user runs:
//   podtrace trace --nodes 1000 --json out.json <100 Deployments × 100 replicas, readiness probes>
// from process start to exit, writing the JSON included. Prints one JSON object: the median
// of BENCH_RUNS runs (default 3) of wall time and peak RSS, and pods per second.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchManifest } from './simWorkload';

const root = path.resolve(__dirname, '../..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const deployments = Number(process.env.BENCH_DEPLOYMENTS ?? 100);
const replicas = Number(process.env.BENCH_REPLICAS ?? 100);
const nodes = Number(process.env.BENCH_NODES ?? 1000);
/** BENCH_SERVICES=1: a Service in front of each Deployment (a variant; the target is about the plain workload). */
const services = process.env.BENCH_SERVICES === '1';
const isTargetWorkload = !services && deployments === 100 && replicas === 100 && nodes === 1000;
const pods = deployments * replicas;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-bench-'));
const input = path.join(dir, 'workload.yaml');
const output = path.join(dir, 'out.json');
fs.writeFileSync(input, benchManifest(deployments, replicas, services));

// GNU time reports the child's peak RSS; without it only wall time is measured.
const env = { ...process.env, PODTRACE_PHASES: '1' };
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The machine's speed at the time of each run: a fixed JavaScript workload (parsing the same
// workload file 40 times with the bundled `yaml`) in a process of its own, right before each
// trace. On these shared machines the same build varies by a third over an hour; the ratio
// trace/reference is what compares across runs, the wall time is what the target is about.
const reference = [
  'const t=process.hrtime.bigint();',
  "const y=require('yaml');",
  `const s=require('fs').readFileSync(${JSON.stringify(input)},'utf8');`,
  'for(let i=0;i<40;i++)y.parseAllDocuments(s);',
  'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))',
].join('');
const referenceMs: number[] = [];

const wall: number[] = [];
const phaseRuns: Record<string, number>[] = [];
const rss: number[] = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  referenceMs.push(Number(spawnSync(process.execPath, ['-e', reference], { cwd: root, encoding: 'utf8' }).stdout));
  const args = [path.join(root, 'dist/cli.js'), 'trace', '--nodes', String(nodes), '--json', output, input];
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', process.execPath, ...args], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env,
      })
    : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, env });
  wall.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (result.status !== 0) throw new Error(`podtrace trace exited ${result.status}: ${result.stderr}`);
  if (gnuTime) rss.push(Number(result.stderr.trim().split('\n').pop()) / 1024);
  const phases = /^podtrace phases (.*)$/m.exec(result.stderr);
  if (phases) phaseRuns.push(JSON.parse(phases[1]));
  summary = result.stdout.trim().split('\n').pop() ?? '';
}
const medianWall = median(wall);
// Each phase's median over the runs: where the wall time goes
// (start-up and validation, the simulation, writing the JSON).
const phaseMs = Object.fromEntries(Object.keys(phaseRuns[0] ?? {}).map((k) => [k, median(phaseRuns.map((p) => p[k]))]));
const medianRss = rss.length > 0 ? median(rss) : null;
const podsPerSecond = Math.round(pods / (medianWall / 1000));
process.stdout.write(
  JSON.stringify({
    benchmark: 'sim-trace',
    command:
      `podtrace trace --nodes ${nodes} --json out.json <${deployments} Deployments ` +
      `× ${replicas} replicas${services ? ', each behind a Service' : ''}>`,
    pods,
    nodes,
    runs,
    wallMs: wall.map((w) => Math.round(w)),
    medianWallMs: Math.round(medianWall),
    medianPhaseMs: phaseMs,
    podsPerSecond,
    peakRssMiB: rss.map((r) => Math.round(r)),
    medianPeakRssMiB: medianRss === null ? null : Math.round(medianRss),
    jsonBytes: fs.statSync(output).size,
    summary,
    // The target is issue 5's, for its workload only (10,000 plain pods on 1,000 nodes).
    target: isTargetWorkload ? { podsPerSecond: 2500, peakRssMiB: 1536 } : null,
    meetsTarget: isTargetWorkload ? podsPerSecond >= 2500 && (medianRss === null || medianRss <= 1536) : null,
    referenceMs: referenceMs.map((r) => Math.round(r)),
    medianReferenceMs: Math.round(median(referenceMs)),
    wallOverReference: Math.round((medianWall / median(referenceMs)) * 100) / 100,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  }) + '\n',
);
fs.rmSync(dir, { recursive: true, force: true });
