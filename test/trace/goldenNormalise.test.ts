// The golden normaliser: traces that differ only in uids and resourceVersions compare equal;
// a difference in anything else, including which object an event is about or the order of two
// writes, still shows.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { traceCase } from '../sim/traceCase';
import { firstDifference, normaliseTrace } from './goldenNormalise';
import { repoRoot } from './traceInputs';

interface Sample {
  uids: [string, string];
  versions: [number, number, number];
  reason?: string;
  time?: number;
  /** Which of the two objects the third event is about. */
  thirdAbout?: 0 | 1;
}

/** A trace in the CLI's layout: a Deployment and a PersistentVolumeClaim created, then the Deployment updated. */
function sample({ uids, versions, reason = 'Stored', time = 12, thirdAbout = 0 }: Sample): string {
  const object = (kind: string, name: string, uid: string) =>
    `{"kind":"${kind}","namespace":"default","name":"${name}","uid":"${uid}"}`;
  const owners = [object('Deployment', 'api', uids[0]), object('PersistentVolumeClaim', 'data', uids[1])];
  const event = (id: number, t: number, about: string, why: string, message: string) =>
    `{"id":${id},"time":${t},"lane":"etcd","node":null,"object":${about},` +
    `"reason":"${why}","message":"${message}","causes":[]}`;
  return [
    '{"meta":{"seed":1},',
    '"events":[',
    `${event(0, 5, owners[0], 'Stored', `created at resourceVersion ${versions[0]}`)},`,
    `${event(1, 7, owners[1], 'Stored', `created at resourceVersion ${versions[1]}`)},`,
    event(2, time, owners[thirdAbout], reason, `updated at resourceVersion ${versions[2]}`),
    `],"pods":[{"name":"api-z8lcd","volume":"pvc-${uids[1]}","owner":"${uids[0]}"}]}`,
    '',
  ].join('\n');
}

const base: Sample = {
  uids: ['91a34745-d7c0-4acf-a669-643901e49331', '2cb83eb6-e624-4194-9125-7301a5708b7b'],
  versions: [22, 23, 31],
};

test('traces differing only in uids and resourceVersions normalise to the same text', () => {
  const other = sample({
    uids: ['0b7d4c1e-3a2f-4e5d-8c9b-1a2b3c4d5e6f', 'ffffffff-0000-4000-8000-000000000001'],
    versions: [140, 141, 145],
  });
  assert.notEqual(sample(base), other, 'the two raw samples should differ');
  assert.equal(firstDifference(normaliseTrace(sample(base)), normaliseTrace(other)), undefined);
  const normalised = normaliseTrace(sample(base));
  assert.match(normalised, /"uid":"<uid 1>".*\n.*"uid":"<uid 2>"/);
  assert.match(normalised, /"volume":"pvc-<uid 2>","owner":"<uid 1>"/, 'a uid inside a name is the same placeholder');
  assert.match(normalised, /created at resourceVersion <rv 1>".*\n.*<rv 2>".*\n.*updated at resourceVersion <rv 3>"/);
  assert.equal(normaliseTrace(normalised), normalised, 'normalising twice changes nothing');
});

test('a difference in a reason, a time, the object an event is about or the order of writes remains', () => {
  const expected = normaliseTrace(sample(base));
  const changes: [string, Sample][] = [
    ['reason', { ...base, reason: 'Updated' }],
    ['time', { ...base, time: 13 }],
    ['object', { ...base, thirdAbout: 1 }],
    ['write order', { ...base, versions: [23, 22, 31] }],
    ['one uid for two objects', { ...base, uids: [base.uids[0], base.uids[0]] }],
  ];
  for (const [what, change] of changes) {
    const difference = firstDifference(expected, normaliseTrace(sample(change)));
    assert.ok(difference !== undefined, `expected a change of ${what} to show after normalising`);
    assert.match(difference, /^line \d+ differs:/, what);
  }
});

test('a golden case with every uid and resourceVersion rewritten still compares equal', () => {
  const raw = traceCase(path.join(repoRoot, 'test/fixtures/trace/pvc-wait-for-first-consumer'));
  const uids = new Set(raw.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g));
  assert.ok(uids.size >= 3, `expected the case to hold several uids, found ${uids.size}`);
  assert.match(raw, /resourceVersion \d+/);
  // A different uid per object (each hex digit one higher, wrapping) and every resourceVersion
  // 1000 later, as if the simulator had made other objects and writes first.
  const nextDigit = (c: string) => (c === '-' ? c : ((parseInt(c, 16) + 1) % 16).toString(16));
  const moved = raw
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uid) => [...uid].map(nextDigit).join(''))
    .replace(/resourceVersion (\d+)/g, (_all, v: string) => `resourceVersion ${Number(v) + 1000}`);
  assert.notEqual(moved, raw);
  assert.equal(firstDifference(normaliseTrace(raw), normaliseTrace(moved)), undefined);
  const renamed = raw.replace(/"reason":"Stored"/, '"reason":"Stored again"');
  assert.ok(firstDifference(normaliseTrace(raw), normaliseTrace(renamed)) !== undefined, 'a changed reason must show');
});
