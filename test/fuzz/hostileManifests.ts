// Hostile manifests for the fuzzing harness: real-looking objects of the kinds the simulator
// runs, each with a few fields replaced by hostile values, written as YAML (the hostile scalar
// spelled exactly as generated, so `2024-01-02` stays a plain timestamp and `0777` a plain
// octal) or as JSON (sometimes with a trailing comma), then damaged and encoded.
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import {
  deepNesting,
  encode,
  encodings,
  hostileScalarText,
  hostileValue,
  textDamage,
  type Encoding,
} from './hostileValues';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const podSpec = (): Json => ({
  containers: [
    {
      name: 'app',
      image: 'nginx:1.27',
      ports: [{ containerPort: 8080 }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5, failureThreshold: 3 },
      livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1 },
      env: [{ name: 'A', value: 'b' }],
      volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
    },
  ],
  volumes: [{ name: 'config', configMap: { name: 'app', defaultMode: 420 } }],
  terminationGracePeriodSeconds: 30,
});

const template = (): Json => ({ metadata: { labels: { app: 'web' } }, spec: podSpec() });
const meta = (name: string): Json => ({
  name,
  namespace: 'default',
  labels: { app: 'web' },
  annotations: { note: 'x' },
});

/** The objects a hostile manifest starts from: one of each kind the simulator acts on. */
export const baseObjects: readonly (() => Json)[] = [
  () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template() },
  }),
  () => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta('solo'), spec: podSpec() }),
  () => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web'),
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  }),
  () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('app'),
    data: { 'app.conf': 'a=1', created: '2024-01-02' },
  }),
  () => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('job'),
    spec: {
      completions: 2,
      parallelism: 1,
      backoffLimit: 2,
      template: { spec: { ...(podSpec() as object), restartPolicy: 'Never' } },
    },
  }),
  () => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('db'),
    spec: {
      serviceName: 'web',
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  }),
  () => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta('agent'),
    spec: { selector: { matchLabels: { app: 'web' } }, template: template() },
  }),
  () => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-x', labels: { zone: 'a' } },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    },
  }),
  () => ({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta('limits'),
    spec: {
      limits: [{ type: 'Container', max: { cpu: '2' }, default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }],
    },
  }),
  () => ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('quota'),
    spec: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' } },
  }),
  () => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'high' },
    value: 1000,
    preemptionPolicy: 'PreemptLowerPriority',
  }),
  () => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta('claim'),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  }),
  () => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta('pdb'),
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  }),
];

/** Every path to a value in a JSON tree, so a mutation can pick any field, leaf or not. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function setAt(root: Json, path: readonly (string | number)[], value: Json | undefined): void {
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value as Json;
}

/** What a mutation puts at a field: a scalar spelled as YAML text, a JSON value, or nothing. */
type Replacement =
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'delete' };

const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  { weight: 4, arbitrary: hostileScalarText.map((text): Replacement => ({ kind: 'scalar', text })) },
  { weight: 2, arbitrary: hostileValue.map((value): Replacement => ({ kind: 'value', value })) },
  { weight: 1, arbitrary: fc.constant<Replacement>({ kind: 'delete' }) },
);

export interface HostileFile {
  /** The file's name, whose extension says how the CLI reads it. */
  readonly name: string;
  readonly bytes: Buffer;
  /** What was done to it, for a failure's message. */
  readonly recipe: string;
}

/** A placeholder yaml's stringify leaves as a plain scalar, replaced afterwards by the hostile text. */
const placeholder = (i: number): string => `zzhostile${i}zz`;

function writeYaml(objects: Json[], scalars: string[]): string {
  let text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  scalars.forEach((s, i) => (text = text.split(placeholder(i)).join(s)));
  return text;
}

/** Manifest text: one to three objects with up to four fields replaced, as YAML or JSON. */
export const hostileManifestText: fc.Arbitrary<{ text: string; json: boolean; recipe: string }> = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(baseObjects.length - 1), fc.array(fc.tuple(fc.nat(), replacement), { maxLength: 4 })), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.boolean(),
    fc.option(textDamage, { freq: 4 }),
    fc.option(deepNesting, { freq: 12 }),
  )
  .map(([picks, json, damage, nesting]) => {
    const scalars: string[] = [];
    const recipe: string[] = [];
    const objects = picks.map(([kind, edits]) => {
      const object = baseObjects[kind]();
      for (const [at, r] of edits) {
        const all = paths(object);
        const path = all[at % all.length];
        recipe.push(
          `${path.join('.')}` +
            `=${r.kind === 'scalar' ? r.text : r.kind === 'value' ? JSON.stringify(r.value) : '(deleted)'}`,
        );
        if (r.kind === 'delete') setAt(object, path, undefined);
        else if (r.kind === 'value') setAt(object, path, r.value as Json);
        else if (json) setAt(object, path, r.text);
        else {
          setAt(object, path, placeholder(scalars.length));
          scalars.push(r.text);
        }
      }
      return object;
    });
    let text = json
      ? JSON.stringify(objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects }, null, 2)
      : writeYaml(objects, scalars);
    if (nesting !== null) {
      text = json
        ? text.replace(/\n}$/, `,\n"deep": ${nesting.slice('data: '.length).trim()}\n}`)
        : `${text}---\n${nesting}`;
      recipe.push(`nested ${nesting.length} chars`);
    }
    if (damage !== null) {
      text = damage(text);
      recipe.push('damaged');
    }
    return { text, json, recipe: recipe.join('; ') };
  });

/** Manifest text as a file in one of the encodings, named by whether it is JSON. */
function asFile(texts: fc.Arbitrary<{ text: string; json: boolean; recipe: string }>): fc.Arbitrary<HostileFile> {
  return fc
    .tuple(texts, encodings)
    .map(([m, encoding]: [{ text: string; json: boolean; recipe: string }, Encoding]) => ({
      name: m.json ? 'manifest.json' : 'manifest.yaml',
      bytes: encode(m.text, encoding),
      recipe: `${m.recipe} [${encoding}]`,
    }));
}

/** A manifest file: hostile text in a hostile encoding. */
export const hostileManifestFile: fc.Arbitrary<HostileFile> = asFile(hostileManifestText);

/**
 * Values a field may validly hold but rarely does, by the field's name: the edge cases the
 * simulator must run (cpu of 1n, memory of 8Ei, a probe period of a day, a timestamp in an
 * annotation), so that most unusual manifests pass validation and reach the cluster.
 */
const unusualByKey: Readonly<Record<string, readonly string[]>> = {
  cpu: ['1n', '100n', '1u', '1m', '1', '1k', '0.5', '1e3', '1e30', '2', '100m', '1E-3'],
  memory: ['1', '1Ki', '64Mi', '1Gi', '1Pi', '8Ei', '1e30', '1E3', '129M'],
  storage: ['1', '1Ki', '1Gi', '1Pi', '8Ei'],
  replicas: ['0', '1', '3', '12', '40'],
  completions: ['1', '3', '10'],
  parallelism: ['0', '1', '5'],
  backoffLimit: ['0', '1', '6'],
  periodSeconds: ['1', '3', '60', '86400'],
  failureThreshold: ['1', '2', '30'],
  initialDelaySeconds: ['0', '5', '600'],
  terminationGracePeriodSeconds: ['0', '1', '3600'],
  image: [
    'nginx:1.27',
    'nginx',
    'busybox:latest',
    'registry.example:5000/team/app:v2',
    'app@sha256:' + 'a'.repeat(64),
    'nope:missing',
  ],
  containerPort: ['1', '80', '8080', '65535'],
  port: ['1', '80', '8080', '65535', 'http'],
  targetPort: ['8080', '9999', 'http'],
  defaultMode: ['0', '420', '0644', '0777', '511'],
  value: ['0', '1000', '1000000000', '-5'],
  minAvailable: ['0', '1', '50%', '100%'],
  pods: ['"0"', '"1"', '"110"'],
  note: ['2024-01-02', '2001-12-14t21:59:43.10-05:00', '"\\u001b[31mred"', '"x\\u0007y"', '12:30:00', '"é𝔘"'],
  created: ['2024-01-02', '2024-01-02T03:04:05Z', '"\\u001b]0;t\\u0007"'],
  app: ['web', 'db', '"2024-01-02"'],
  name: ['web', 'db', 'app', 'a', 'x-1'],
};

/** Manifest text with valid but unusual values: what the simulator must run without stumbling. */
export const unusualManifestText: fc.Arbitrary<{ text: string; json: boolean; recipe: string }> = fc
  .array(fc.tuple(fc.nat(baseObjects.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 })), {
    minLength: 1,
    maxLength: 4,
  })
  .map((picks) => {
    const scalars: string[] = [];
    const recipe: string[] = [];
    const objects = picks.map(([kind, edits]) => {
      const object = baseObjects[kind]();
      const editable = paths(object).filter(
        (p) => typeof p[p.length - 1] === 'string' && unusualByKey[p[p.length - 1]] !== undefined,
      );
      for (const [at, pick] of edits) {
        if (editable.length === 0) break;
        const path = editable[at % editable.length];
        const choices = unusualByKey[path[path.length - 1]];
        const text = choices[pick % choices.length];
        recipe.push(`${path.join('.')}=${text}`);
        setAt(object, path, placeholder(scalars.length));
        scalars.push(text);
      }
      return object;
    });
    return { text: writeYaml(objects, scalars), json: false, recipe: recipe.join('; ') };
  });

/** A file of unusual but valid values, in an unusual encoding. */
export const unusualManifestFile: fc.Arbitrary<HostileFile> = asFile(unusualManifestText);
