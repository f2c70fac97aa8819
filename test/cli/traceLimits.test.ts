// `podtrace trace`'s limits as a user meets them: runs that would take gigabytes or never end
// stop at once or within seconds with the limit, its flag and what reached it, exit 2, and
// leave no output file behind.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { regExpOf } from '../regExpOf';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');

/** The CLI in a process whose heap is held to 1 GiB: a run that grows without bound aborts rather than passes. */
function podtrace(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--max-old-space-size=1024', cli, ...args], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

const web = fs.readFileSync(path.join(repoRoot, 'examples/web/deployment.yaml'), 'utf8');

test('--nodes and --until past the limits are refused before the cluster runs', () => {
  assert.deepEqual(podtrace(['trace', '--nodes', '4294967296', 'examples/web']), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: the run would start with 4,294,967,296 nodes, more than its limit of ' +
      '5,000 nodes; the limit is set by --max-nodes (now 5000); nothing was written\n',
    signal: null,
  });
  assert.equal(podtrace(['trace', '--nodes', '10000000', 'examples/web']).code, 2);
  assert.deepEqual(podtrace(['trace', '--until', '1000000000000', 'examples/web']), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: the run would last 1,000,000,000,000 s of virtual time, more than its ' +
      'limit of 3,600 s; the limit is set by --max-time (now 3600); nothing was written\n',
    signal: null,
  });
  const raised = podtrace(['trace', '--quiet', '--until', '2h', '--max-time', '2h', 'examples/web']);
  assert.equal(raised.code, 0, raised.stderr);
  assert.match(raised.stdout, /stopped at 7200\.000s virtual/);
});

test('replicas: 2147483647 stops at --max-pods with the workload named, and writes no file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-limits-'));
  const json = path.join(dir, 'trace.json');
  try {
    const result = podtrace(['trace', '--json', json, '-'], web.replace(/replicas: 3/, 'replicas: 2147483647'));
    assert.equal(result.signal, null, result.stderr);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      regExpOf(
        /^podtrace: the run reached [\d,]+ pods at [\d.,]+ s virtual, more than its limit of /,
        /50,000 pods; the last was created by ReplicaSet default\/web-\w+ \(of Deployment /,
        /default\/web\); the limit is set by --max-pods \(now 50000\); nothing was written\n$/,
      ),
    );
    assert.equal(fs.existsSync(json), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--max-events stops a run that records more, and a run at its limits passes', () => {
  const events = podtrace(['trace', '--max-events', '50', 'examples/web']);
  assert.equal(events.code, 2);
  assert.match(
    events.stderr,
    regExpOf(
      /^podtrace: the run reached [\d,]+ events at .*, more than its limit of 50 events; /,
      /the last: .*; the limit is set by --max-events \(now 50\); nothing was written\n$/,
    ),
  );
  const atLimit = podtrace(['trace', '--quiet', '--max-pods', '3', '--max-nodes', '3', 'examples/web']);
  assert.equal(atLimit.code, 0, atLimit.stderr);
  assert.match(atLimit.stdout, /3 pods \(3 ready\) on 3 nodes/);
});

test('the limits are in --help with their defaults, and bad values are usage errors', () => {
  const help = podtrace(['trace', '--help']).stdout;
  assert.match(help, /--max-pods N +stop with an error if the run creates more than N pods \(default 50000\)/);
  assert.match(help, /--max-nodes N +refuse a run with more than N nodes/);
  assert.match(help, /\(default 5000\)/);
  assert.match(
    help,
    /--max-events N +stop with an error if the trace records more than N events\n +\(default 2000000\)/,
  );
  assert.match(help, /--max-time SECONDS +refuse an --until longer than this \(default 3600\)/);
  const usage = "\nRun 'podtrace --help' for usage.\n";
  assert.equal(
    podtrace(['trace', '--max-pods', '0', 'examples/web']).stderr,
    `podtrace: --max-pods: expected an integer ≥ 1, got "0"${usage}`,
  );
  assert.equal(
    podtrace(['trace', '--max-nodes', '2000000', 'examples/web']).stderr,
    `podtrace: --max-nodes: expected an integer of at most 1000000, got "2000000"${usage}`,
  );
  assert.equal(
    podtrace(['trace', '--max-time', 'forever', 'examples/web']).stderr,
    `podtrace: --max-time: expected a duration such as 30, "30s", "2m" or "500ms", got "forever"${usage}`,
  );
});
