// Hostile scenarios and arguments for the fuzzing harness: scenario files whose actions have
// missing, null, wrongly typed or huge values (and alias bombs), and `podtrace` argument lists
// with flags given no value, an empty value, a huge one or a wrong one.
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { hostileValue, hugeNumbers, lookalikes, quantities } from './hostileValues';

const durations = ['0', '1', '30s', '2m', '500ms', '1.5m', '-1', '1e12', 'lots', '', '90x', '1000000000000', '.inf'];

/** A plausible value for an action, or a hostile one. */
const sometimes = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: good }, { weight: 2, arbitrary: hostileValue });

/** Times most actions have, so that most scenarios get past their `at` to what the action does. */
const plainTime = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 120 }) },
  { weight: 1, arbitrary: sometimes(fc.constantFrom(...durations)) },
);

const nodeName = sometimes(fc.constantFrom('node-1', 'node-2', 'node-x', 'nope'));
const objectName = sometimes(fc.constantFrom('web', 'db', 'solo', 'job', 'missing'));

/** One action of each kind the scenario format has, with fields that may be hostile. */
const action: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    plainTime,
    fc.oneof(
      fc.record({
        scale: sometimes(
          fc.record({ name: objectName, replicas: sometimes(fc.constantFrom(0, 1, 5, 'lots', ...hugeNumbers)) }),
        ),
      }),
      fc.record({
        patch: sometimes(
          fc.record({
            kind: fc.constantFrom('Deployment', 'Pod', 'Service', 'Nope'),
            name: objectName,
            merge: hostileValue,
          }),
        ),
      }),
      fc.record({
        delete: sometimes(
          fc.record({
            kind: fc.constantFrom('Deployment', 'Pod', 'Node'),
            name: objectName,
            gracePeriodSeconds: sometimes(fc.constantFrom(0, 30, -1)),
          }),
        ),
      }),
      fc.record({
        setImage: sometimes(
          fc.record({ name: objectName, image: sometimes(fc.constantFrom('nginx:1.28', '', 'UPPER:case')) }),
        ),
      }),
      fc.record({
        addNode: sometimes(
          fc.record({
            name: nodeName,
            cpu: sometimes(fc.constantFrom(...quantities)),
            memory: sometimes(fc.constantFrom(...quantities)),
            pods: sometimes(fc.constantFrom(0, 110, 'lots', ...hugeNumbers)),
          }),
        ),
      }),
      fc.record({ failNode: nodeName }),
      fc.record({ recoverNode: nodeName }),
      fc.record({ drain: sometimes(fc.record({ node: nodeName, force: fc.boolean() })) }),
      fc.record({ cordon: nodeName }),
      fc.record({ uncordon: nodeName }),
      fc.record({
        cutWatch: sometimes(fc.record({ consumer: fc.constantFrom('kube-proxy', 'coredns', 'ingress', 'nope') })),
      }),
      fc.record({ failProbe: sometimes(fc.record({ pod: objectName, container: sometimes(fc.constant('app')) })) }),
      fc.record({ missingImage: sometimes(fc.constantFrom('nginx:1.27', '')) }),
      fc.record({
        apply: sometimes(
          fc.constantFrom<unknown>(
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } },
            'apiVersion: v1\nkind: Pod\n',
            { file: 'nope.yaml' },
          ),
        ),
      }),
      fc.record({ nonsense: hostileValue }),
    ),
    fc.option(plainTime, { freq: 3 }),
  )
  .map(([at, act, forValue]) => ({ at, ...act, ...(forValue === null ? {} : { for: forValue }) }));

/** An alias bomb: each level a list of ten aliases of the last, a billion nodes expanded. */
export const aliasBomb = [
  'actions:',
  '  - at: 0',
  '    patch:',
  '      kind: Deployment',
  '      name: web',
  '      merge:',
  '        a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const [from, to] = [String.fromCharCode(97 + i), String.fromCharCode(98 + i)];
    return (
      `        ${to}: &${to} [*${from},*${from},*${from},*${from},` +
      `*${from},*${from},*${from},*${from},*${from},*${from}]`
    );
  }),
  '',
].join('\n');

/** A scenario file's text: a list of actions (bare or under `actions:`), an alias bomb, or something else. */
export const hostileScenarioText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.array(action, { maxLength: 5 }), fc.boolean())
      .map(([actions, wrapped]) => stringify(wrapped ? { actions } : actions)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      aliasBomb,
      '',
      '~',
      'actions: 5',
      '- at: 0\n  cutWatch:\n',
      '- at: 0\n  failProbe:\n',
      '- [',
      '- at: 0\n  scale: {name: web, replicas: lots}\n',
    ),
  },
);

/** Flags of `podtrace trace` and `validate`, with the values they are given. */
const flagValues = [
  '',
  '0',
  '-1',
  '3',
  '1e3',
  '4294967296',
  '10000000',
  '1000000000000',
  'NaN',
  'lots',
  'out.json',
  '-',
  '1.35',
  '1.20',
  'sarif',
  'fast',
];
const flags = [
  '--nodes',
  '--until',
  '--seed',
  '--speed',
  '--kubernetes-version',
  '--format',
  '--profile',
  '--json',
  '--max-pods',
  '--max-nodes',
  '--max-events',
  '--max-time',
];

/** Extra arguments: a flag and a value (inline with `=`, separate, or missing), or a stray word. */
export const hostileArguments: fc.Arbitrary<string[]> = fc
  .array(
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...flags), fc.constantFrom(...flagValues), fc.constantFrom('=', ' ', ''))
        .map(([flag, value, how]) => (how === '=' ? [`${flag}=${value}`] : how === ' ' ? [flag, value] : [flag])),
      fc.constantFrom(['--'], ['-x'], ['--unknown'], ['-'], [...lookalikes.slice(0, 2)]),
    ),
    { maxLength: 3 },
  )
  .map((groups) => groups.flat());
