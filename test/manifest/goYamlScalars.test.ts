// Plain scalars resolve as kubectl's go-yaml v2 resolves them into interface{} before it
// writes JSON: timestamps and base 60 numbers stay strings, Go's 0o/0X/0B integers are numbers.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodedValue } from '../../src/core/manifest/decode';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { validateManifestText } from '../../src/core/manifest/validate';

function valueOf(yaml: string): unknown {
  return decodedValue(parseManifestText(yaml).documents[0]);
}

test('timestamps decode to their own text, as kubectl sends them', () => {
  assert.deepEqual(valueOf('a: 2024-01-02\nb: 2024-01-02 10:00:00\nc: 2001-12-14t21:59:43.10-05:00\n2024-1-2: k\n'), {
    a: '2024-01-02',
    b: '2024-01-02 10:00:00',
    c: '2001-12-14t21:59:43.10-05:00',
    '2024-1-2': 'k',
  });
  assert.deepEqual(valueOf('a: !!timestamp 2024-01-02\n'), { a: '2024-01-02' });
});

test('base 60 numbers stay strings, Go integer prefixes are numbers', () => {
  assert.deepEqual(
    valueOf('a: 1:20\nb: 3000:30.5\nc: 0o644\nd: 0X1F\ne: 0B101\nf: -0o10\ng: 0644\nh: 0x1f\ni: 0b11\nj: 1_000\n'),
    {
      a: '1:20',
      b: '3000:30.5',
      c: 420,
      d: 31,
      e: 5,
      f: -8,
      g: 420,
      h: 31,
      i: 3,
      j: 1000,
    },
  );
  // Not integers for strconv.ParseInt either: they stay strings.
  assert.deepEqual(valueOf('a: 0o\nb: 0o8\nc: 0X\n'), { a: '0o', b: '0o8', c: '0X' });
});

test('a timestamp in annotations or ConfigMap data is no error', () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: dated',
    '  annotations:',
    '    created: 2024-01-02',
    '    window: 12:30',
    'data:',
    '  when: 2024-01-02 10:00:00',
    '',
  ].join('\n');
  assert.deepEqual(validateManifestText(text), []);
});

test('a timestamp where a number belongs is the string error the apiserver gives', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: 2024-01-02',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers: [{name: web, image: "nginx:1.27"}]',
    '',
  ].join('\n');
  const findings = validateManifestText(text).filter((f) => f.severity === 'error');
  assert.equal(findings.length, 1, JSON.stringify(findings));
  assert.equal(findings[0].path, 'spec.replicas');
  assert.match(findings[0].message, /cannot unmarshal string into Go struct field .*replicas of type int32/);
  assert.deepEqual([findings[0].range.start.line, findings[0].range.start.column], [5, 12]);
});

test('a mode written 0o644 is the number 420, as kubectl reads it', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  containers: [{name: a, image: "nginx:1.27"}]',
    '  volumes: [{name: s, secret: {secretName: s, defaultMode: 0o644}}]',
    '',
  ].join('\n');
  assert.deepEqual(validateManifestText(text), []);
});
