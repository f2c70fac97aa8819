import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { regExpOf } from '../regExpOf';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');

function podtrace(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('trace prints the timeline and the per-pod summary, and writes --json and --perfetto', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cli-'));
  const result = podtrace([
    'trace',
    '--json',
    path.join(dir, 't.json'),
    '--perfetto',
    path.join(dir, 'p.json'),
    'examples/web',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    regExpOf(
      /Scheduled: Successfully assigned /,
      /default\/web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5} to node-\d/,
    ),
  );
  assert.match(result.stdout, /Pulling: Pulling image "nginx:1\.27"/);
  assert.match(result.stdout, /Pods \(seconds from the start\)/);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 't.json'), 'utf8'));
  assert.equal(doc.pods.length, 3);
  for (const e of doc.events) assert.ok(Number.isInteger(e.time) && ['Normal', 'Warning'].includes(e.severity));
  const perfetto = JSON.parse(fs.readFileSync(path.join(dir, 'p.json'), 'utf8'));
  assert.ok(perfetto.traceEvents.some((e: { ph: string }) => e.ph === 'X'));
  assert.ok(
    perfetto.traceEvents.some(
      (e: { name: string; args: { name: string } }) => e.name === 'thread_name' && e.args.name === 'kubelet',
    ),
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('trace reads standard input and reports usage errors with exit 2', () => {
  const stdin = podtrace(
    ['trace', '--quiet', '-'],
    fs.readFileSync(path.join(repoRoot, 'examples/web/deployment.yaml'), 'utf8'),
  );
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.match(stdin.stdout, /3 pods \(3 ready\) on 3 nodes; quiescent/);
  assert.equal(podtrace(['trace']).code, 2);
  const bad = podtrace(['trace', '--nodes', 'x', 'examples/web']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--nodes: expected an integer ≥ 0, got "x"/);
  const badScenario = podtrace(['trace', '--scenario', 'README.md', 'examples/web']);
  assert.equal(badScenario.code, 2);
  // A scenario or profile path that cannot be read says why in words, without a stack trace.
  assert.deepEqual(podtrace(['trace', '--scenario', 'examples', 'examples/web']), {
    code: 2,
    stdout: '',
    stderr: "podtrace: examples: cannot read: is a directory\nRun 'podtrace --help' for usage.\n",
  });
  assert.deepEqual(podtrace(['trace', '--scenario', 'no-such.yaml', 'examples/web']), {
    code: 2,
    stdout: '',
    stderr: "podtrace: no-such.yaml: cannot read: no such file or directory\nRun 'podtrace --help' for usage.\n",
  });
});

test('input without Kubernetes objects is an error (as kubectl apply\'s \
"no objects passed to apply"), unless a scenario applies some', () => {
  const empty = podtrace(['trace', '--quiet', '-'], '# nothing here\n');
  assert.deepEqual(empty, {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: no objects to trace: - holds no Kubernetes objects (with ' +
      'apiVersion, kind and metadata.name), and no scenario applies any\n',
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cli-'));
  const scenario = path.join(dir, 'later.yaml');
  fs.writeFileSync(
    scenario,
    'actions:\n  - at: 1s\n    apply: |\n      apiVersion: v1\n' +
      '      kind: ConfigMap\n      metadata: {name: settings}\n',
  );
  const later = podtrace(['trace', '--quiet', '--scenario', scenario, '-'], '');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(later.code, 0, later.stderr);
  assert.match(later.stdout, /0 pods \(0 ready\) on 3 nodes; quiescent/);
});

test('what a scenario applies is validated before the cluster runs, \
with findings at their lines in the scenario or the applied file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-scenario-'));
  fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
  const scenario = path.join(dir, 'scenario.yaml');
  const write = (text: string) => fs.writeFileSync(scenario, text);
  write(
    [
      '# a Service, a file, manifest text',
      '- at: 5s',
      '  apply:',
      '    apiVersion: v1',
      '    kind: Service',
      '    metadata: {name: web}',
      '    spec: {selector: {app: web}, ports: [{port: 80, targetPort: 99999}]}',
      '- at: 6s',
      '  apply: {file: cm.yaml}',
      '- at: 7s',
      '  apply: |',
      '    apiVersion: v1',
      '    kind: Secret',
      '    metadata: {name: s}',
      '    replicas: 3',
      '- at: 8s',
      '  apply: "{apiVersion: v1, kind: ConfigMap, metadata: {name: UPPER}}"',
      '',
    ].join('\n'),
  );
  const bad = podtrace(['trace', '--quiet', '--scenario', scenario, 'examples/web']);
  assert.equal(bad.code, 1, bad.stderr);
  assert.equal(bad.stdout, '');
  const lines = bad.stderr.split('\n');
  // The inline manifest at its own line and column in the scenario; the file by its path beside it.
  assert.ok(
    lines.includes(
      `${scenario}:7:65: error PT3005 spec.ports[0].targetPort: ` +
        'Invalid value: 99999: must be between 1 and 65535, inclusive',
    ),
    bad.stderr,
  );
  assert.ok(
    lines.some((l) =>
      l.startsWith(`${path.join(dir, 'cm.yaml')}:4:9: error PT3001 metadata.name: Invalid value: "Bad_Name"`),
    ),
    bad.stderr,
  );
  assert.ok(lines.includes(`${scenario}:15:5: error PT2001 unknown field "replicas"`), bad.stderr);
  assert.ok(
    lines.some((l) =>
      l.startsWith(`${scenario} (action 4: apply text):1:52: error PT3001 metadata.name: Invalid value: "UPPER"`),
    ),
    bad.stderr,
  );
  assert.match(
    bad.stderr,
    /podtrace: not traced: 4 errors above that kubectl or the apiserver would reject; nothing was applied\n$/,
  );
  // Mended, the same scenario runs.
  fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n');
  write(
    fs
      .readFileSync(scenario, 'utf8')
      .replace('99999', '8080')
      .replace('    replicas: 3\n', '')
      .replace('UPPER', 'upper'),
  );
  const good = podtrace(['trace', '--quiet', '--scenario', scenario, 'examples/web']);
  assert.equal(good.code, 0, good.stderr);
  // The Service defined again at 5s is a new version applied, no duplicate; an object defined twice in one apply is.
  assert.equal(good.stderr, '');
  fs.writeFileSync(
    path.join(dir, 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n' +
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
  );
  const twice = podtrace(['trace', '--quiet', '--scenario', scenario, 'examples/web']);
  assert.equal(twice.code, 0, twice.stderr);
  assert.match(
    twice.stderr,
    regExpOf(
      /cm\.yaml:9:9: warning PT2013 ConfigMap "settings" in /,
      /namespace "default" is also defined in document 1 of this file/,
    ),
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a profile file that is not JSON, or gives a distribution or \
constant that cannot be drawn, is a usage error naming the field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-profile-'));
  const profile = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return podtrace(['trace', '--quiet', '--profile', file, 'examples/web']);
  };
  const notJson = profile('a.json', 'steps: {}\n');
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, /--profile: .*a\.json: not JSON: /);
  const badDist = profile('b.json', JSON.stringify({ steps: { binding: { dist: { normal: 5 } } } }));
  assert.equal(badDist.code, 2);
  assert.match(
    badDist.stderr,
    regExpOf(
      /b\.json: steps\.binding\.dist: expected \{"fixed": ms\}, \{"uniform": \[low, /,
      /high\]\} or \{"lognormal": \{"p50": ms, "p99": ms\}\}, got \{"normal":5\}/,
    ),
  );
  const inverted = profile(
    'c.json',
    JSON.stringify({ steps: { binding: { dist: { lognormal: { p50: 20, p99: 5 } } } } }),
  );
  assert.match(
    inverted.stderr,
    /steps\.binding\.dist: lognormal must be \{"p50": ms, "p99": ms\} with 0 < p50 ≤ p99, got \{"p50":20,"p99":5\}/,
  );
  const badConstant = profile('d.json', JSON.stringify({ constants: { nodePods: { value: 'many' } } }));
  assert.equal(badConstant.code, 2);
  assert.match(badConstant.stderr, /constants\.nodePods\.value: expected a number ≥ 0, got "many"/);
  const good = profile('e.json', JSON.stringify({ steps: { binding: { dist: { fixed: 5 } } } }));
  assert.equal(good.code, 0, good.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an output file that cannot be written is reported before \
the cluster runs (exit 2), naming the option and why', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-out-'));
  const missing = path.join(dir, 'no-such-folder', 't.json');
  const noFolder = podtrace(['trace', '--json', missing, 'examples/web']);
  assert.equal(noFolder.code, 2);
  assert.equal(
    noFolder.stderr,
    `podtrace: --json ${missing}: cannot write: no such directory ${path.dirname(missing)}\n`,
  );
  assert.equal(noFolder.stdout, '', 'nothing was simulated');
  const isDir = podtrace(['trace', '--perfetto', dir, 'examples/web']);
  assert.equal(isDir.code, 2);
  assert.equal(isDir.stderr, `podtrace: --perfetto ${dir}: cannot write: is a directory\n`);
  const file = path.join(dir, 'plain');
  fs.writeFileSync(file, '');
  const underFile = podtrace(['trace', '--json', path.join(file, 't.json'), 'examples/web']);
  assert.equal(underFile.code, 2);
  assert.match(underFile.stderr, /cannot write: .*plain is not a directory/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('trace validates first: errors are shown where they are \
and nothing is applied (exit 1); warnings do not stop it', () => {
  const broken = podtrace(['trace', 'examples/mistakes/broken-yaml.yaml']);
  assert.equal(broken.code, 1, broken.stderr);
  assert.match(broken.stderr, /^examples\/mistakes\/broken-yaml\.yaml:11:7: error PT1004 /m);
  assert.match(
    broken.stderr,
    /podtrace: not traced: 1 error above that kubectl or the apiserver would reject; nothing was applied/,
  );
  assert.equal(broken.stdout, '');

  const mistakes = podtrace(['trace', 'examples/mistakes/web-with-mistakes.yaml']);
  assert.equal(mistakes.code, 1);
  assert.match(
    mistakes.stderr,
    regExpOf(
      /web-with-mistakes\.yaml:19:11: error PT2001 unknown field /,
      /"spec\.template\.spec\.containers\[0\]\.imagePullPolicyy"; did you mean "imagePullPolicy"\?/,
    ),
  );
  assert.match(mistakes.stderr, /not traced: \d+ errors above/);

  const latest =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: nginx\n';
  const warned = podtrace(['trace', '--quiet', '-'], latest);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stdout, /1 pods \(1 ready\)/);
});

test('a kind the simulator does not run is reported where it was written, not dropped silently', () => {
  const autoscaler = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: agent
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: agent}
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
`;
  const result = podtrace(['trace', '-'], autoscaler);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    regExpOf(
      /apiserver\s+HorizontalPodAutoscaler agent\s+NotSimulated: podtrace does not simulate /,
      /HorizontalPodAutoscaler \(autoscaling\/v2\) yet: not applied, so nothing it would /,
      /create or change appears in this trace\s+\[Warning\]\s+← -:4:3 metadata\.name/,
    ),
  );
  assert.match(result.stdout, /1 events, 0 pods/);
});

test('--json over an existing file: the new document exactly (a longer \
old file is cut), through a symbolic link, with the file kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cli-'));
  const out = path.join(dir, 'out.json');
  const fresh = path.join(dir, 'fresh.json');
  assert.equal(podtrace(['trace', '--quiet', '--json', fresh, 'examples/web']).code, 0);
  const expected = fs.readFileSync(fresh, 'utf8');
  // An older, longer trace at the same path, read-only to others and linked from elsewhere.
  fs.writeFileSync(out, 'x'.repeat(expected.length * 2));
  fs.chmodSync(out, 0o640);
  const link = path.join(dir, 'link.json');
  fs.symlinkSync(out, link);
  const inode = fs.statSync(out).ino;
  assert.equal(podtrace(['trace', '--quiet', '--json', link, 'examples/web']).code, 0);
  assert.equal(fs.readFileSync(out, 'utf8'), expected);
  assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.equal(fs.statSync(out).ino, inode, 'the same file, written over');
  assert.equal(fs.statSync(out).mode & 0o777, 0o640);
  // A shorter old file grows to the new document.
  fs.writeFileSync(out, '{}');
  assert.equal(podtrace(['trace', '--quiet', '--json', out, 'examples/web']).code, 0);
  assert.equal(fs.readFileSync(out, 'utf8'), expected);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--report and --otlp are in the help, checked before \
the cluster runs (exit 2 naming the option), and written', () => {
  const help = podtrace(['trace', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--otlp FILE +write OTLP JSON Lines for Jaeger: a line per trace/);
  assert.match(help.stdout, /virtual time 0 is 2000-01-01T00:00:00\.000Z/);
  assert.match(help.stdout, /--report FILE +write a self-contained HTML report/);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cli-'));
  const missing = path.join(dir, 'no-such-folder', 'r.html');
  assert.deepEqual(podtrace(['trace', '--report', missing, 'examples/web']), {
    code: 2,
    stdout: '',
    stderr: `podtrace: --report ${missing}: cannot write: no such directory ${path.dirname(missing)}\n`,
  });
  assert.deepEqual(podtrace(['trace', '--otlp', dir, 'examples/web']), {
    code: 2,
    stdout: '',
    stderr: `podtrace: --otlp ${dir}: cannot write: is a directory\n`,
  });
  assert.equal(podtrace(['trace', '--otlp']).code, 2);
  assert.match(podtrace(['trace', '--report']).stderr, /--report needs a value/);

  const report = path.join(dir, 'r.html');
  const otlp = path.join(dir, 'o.jsonl');
  const written = podtrace(['trace', '--quiet', `--report=${report}`, '--otlp', otlp, 'examples/web']);
  assert.equal(written.code, 0, written.stderr);
  const html = fs.readFileSync(report, 'utf8');
  assert.match(html, /^<!DOCTYPE html>\n/);
  assert.ok(html.includes('<title>podtrace trace examples/web</title>'));
  assert.ok(
    html.includes(
      '<script type="application/json" id="podtrace-report-data">{"format":1,"messages":[{"type":"traceReset"',
    ),
  );
  const lines = fs.readFileSync(otlp, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 3, 'the Deployment, the Ingress and the Service');
  for (const line of lines) assert.ok(Array.isArray(JSON.parse(line).resourceSpans));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--report without a built timeline app says what is missing before the cluster runs', () => {
  // The command alone, without the dist/webview folder the build puts beside it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cli-alone-'));
  fs.copyFileSync(cli, path.join(dir, 'cli.js'));
  const result = spawnSync(
    process.execPath,
    [path.join(dir, 'cli.js'), 'trace', '--report', path.join(dir, 'r.html'), 'examples/web'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    `podtrace: --report ${path.join(dir, 'r.html')}: the timeline app is not built: ` +
      `expected ${path.join(dir, 'webview', 'timeline.js')}; run npm run build\n`,
  );
  assert.ok(!fs.existsSync(path.join(dir, 'r.html')), 'nothing written');
  fs.rmSync(dir, { recursive: true, force: true });
});
