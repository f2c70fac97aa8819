// The built CLI as a whole process, on the hostile inputs that once crashed it, hung it or ran
// it out of memory: each run must end within a time limit and under a heap limit, with an exit
// status of 0, 1 or 2, and no stack trace. What each case must answer in detail is tested where
// it was fixed; this test is the net under all of them, as a CI job would meet them.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { internalFailure } from '../fuzz/cliHarness';
import { aliasBomb } from '../fuzz/hostileScenarios';
import { encode } from '../fuzz/hostileValues';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-hostile-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every run: at most this long, with at most this much V8 heap (an overrun aborts the process, and fails). */
const limits = { timeoutMs: 60_000, heapMb: 768 };

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const deployment = (extra: { replicas?: string; cpu?: string; memory?: string } = {}): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${extra.replicas ?? '1'}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: "${extra.cpu ?? '100m'}", memory: "${extra.memory ?? '64Mi'}"}
`;

const configMap = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n${data}`;

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly stdin?: () => number;
  /** The statuses this case may end with. */
  readonly status: readonly number[];
}

const web = (): string => write('web.yaml', deployment());
const scenario = (name: string, text: string): string => write(`scenarios/${name}.yaml`, text);

const cases: Case[] = [
  ...['1n', '100n', '1u', '1k'].map((cpu): Case => ({
    name: `trace: cpu ${cpu}`,
    args: () => ['trace', write(`cpu-${cpu}.yaml`, deployment({ cpu }))],
    status: [0],
  })),
  ...['8Ei', '1Pi', '1e30'].map((memory): Case => ({
    name: `trace: memory ${memory}`,
    args: () => ['trace', write(`mem-${memory}.yaml`, deployment({ memory }))],
    status: [0, 1],
  })),
  ...[
    ['cutWatch with no value', '- at: 1\n  cutWatch:\n'],
    ['failProbe with no value', '- at: 1\n  failProbe:\n'],
    ['patch.merge not a mapping', '- at: 1\n  patch: {kind: Deployment, name: web, merge: 5}\n'],
    ['scale.replicas: lots', '- at: 1\n  scale: {name: web, replicas: lots}\n'],
    ['failNode of no node', '- at: 1\n  failNode: nope\n'],
    ['an alias bomb', aliasBomb],
  ].map(([name, text]): Case => ({
    name: `trace: scenario ${name}`,
    args: () => ['trace', web(), '--scenario', scenario(name.replace(/\W+/g, '-'), text)],
    status: [1, 2],
  })),
  { name: 'validate - < DIR', args: () => ['validate', '-'], stdin: () => fs.openSync(dir, 'r'), status: [2] },
  {
    name: 'validate - < /dev/null',
    args: () => ['validate', '-'],
    stdin: () => fs.openSync('/dev/null', 'r'),
    status: [0],
  },
  {
    name: 'trace: replicas 2147483647',
    args: () => ['trace', write('huge.yaml', deployment({ replicas: '2147483647' }))],
    status: [2],
  },
  { name: 'trace: --until 1000000000000', args: () => ['trace', web(), '--until', '1000000000000'], status: [2] },
  { name: 'trace: --nodes 10000000', args: () => ['trace', web(), '--nodes', '10000000'], status: [2] },
  { name: 'trace: --nodes 4294967296', args: () => ['trace', web(), '--nodes', '4294967296'], status: [2] },
  {
    name: 'validate: a mapping of 300,000 keys',
    args: () => [
      'validate',
      write('keys.yaml', Array.from({ length: 300_000 }, (_, i) => `k${i}: ${i}`).join('\n') + '\n'),
    ],
    status: [0, 1],
  },
  {
    name: 'validate: UTF-16 with a BOM',
    args: () => ['validate', write('utf16.yaml', encode(deployment({ replicas: 'two' }), 'utf16le-bom'))],
    status: [1],
  },
  {
    name: 'validate: a NUL character',
    args: () => ['validate', write('nul.yaml', configMap('  a: "x\u0000y"\n  b: x\u0000y\n'))],
    status: [1],
  },
  // kubectl 1.33 and later read JSON that does not parse as YAML, which allows the comma; 1.32 refuses it.
  {
    name: 'validate: JSON with a trailing comma (1.35)',
    args: () => [
      'validate',
      write('comma.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a",}}'),
    ],
    status: [0],
  },
  {
    name: 'validate: JSON with a trailing comma (1.32)',
    args: () => [
      'validate',
      '--kubernetes-version',
      '1.32',
      write('comma.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a",}}'),
    ],
    status: [1],
  },
  {
    name: 'trace: a timestamp in ConfigMap data',
    args: () => ['trace', write('ts.yaml', configMap('  created: 2024-01-02\n') + '---\n' + deployment())],
    status: [0],
  },
  {
    name: 'validate: CR-only line endings',
    args: () => ['validate', write('cr.yaml', encode(deployment(), 'cr'))],
    status: [0],
  },
  {
    name: 'validate: 10,000 nested brackets',
    args: () => [
      'validate',
      write('deep.yaml', `${configMap('')}  deep: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
    ],
    status: [1],
  },
  {
    name: 'validate: a collection as a mapping key',
    args: () => ['validate', write('key.yaml', configMap('  ? [a, b]\n  : x\n'))],
    status: [1],
  },
  { name: 'trace --json=', args: () => ['trace', '--json=', web()], status: [2] },
  {
    name: 'trace --json naming its input',
    args: () => ['trace', web(), '--json', path.join(dir, 'web.yaml')],
    status: [2],
  },
  {
    name: 'trace: an empty folder',
    args: () => ['trace', (fs.mkdirSync(path.join(dir, 'empty'), { recursive: true }), path.join(dir, 'empty'))],
    status: [2],
  },
];

for (const c of cases) {
  test(`hostile input, whole process: ${c.name}`, () => {
    const stdin: number | 'ignore' = c.stdin?.() ?? 'ignore';
    const started = Date.now();
    const result = spawnSync(process.execPath, [`--max-old-space-size=${limits.heapMb}`, cli, ...c.args()], {
      cwd: repoRoot,
      stdio: [stdin, 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: limits.timeoutMs,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (typeof stdin === 'number') fs.closeSync(stdin);
    const took = Date.now() - started;
    const stderr = result.stderr.slice(0, 3000);
    const what = `${c.name}: status ${result.status}, signal ${result.signal}, ${took} ms\n${stderr}`;
    assert.equal(result.error, undefined, `${what}\n${result.error}`);
    assert.equal(
      result.signal,
      null,
      `killed (time limit ${limits.timeoutMs} ms or heap limit ${limits.heapMb} MB): ${what}`,
    );
    assert.ok(c.status.includes(result.status ?? -1), `expected status ${c.status.join(' or ')}: ${what}`);
    assert.doesNotMatch(result.stderr, internalFailure, `a stack trace or an internal error: ${what}`);
    assert.doesNotMatch(
      result.stdout,
      internalFailure,
      `a stack trace or an internal error on stdout: ${what}\n${result.stdout.slice(0, 2000)}`,
    );
    assert.doesNotMatch(
      result.stderr,
      /\(node:\d+\) Warning|DeprecationWarning/,
      `a warning of Node or a package leaked to stderr: ${what}`,
    );
    if (result.status === 2) assert.match(result.stderr, /^podtrace: \S/m, `status 2 without a message: ${what}`);
  });
}
