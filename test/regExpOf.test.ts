import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { regExpOf } from './regExpOf';

test('regExpOf joins its parts into the one pattern they were split from, with their flags', () => {
  const joined = regExpOf(/^a message: /m, /\d+ pods? \(of [a-z]+\)$/m);
  const whole = /^a message: \d+ pods? \(of [a-z]+\)$/m;
  assert.equal(joined.source, whole.source);
  assert.equal(joined.flags, 'm');
  assert.match('first line\na message: 3 pods (of web)', joined);
  assert.doesNotMatch('a message: 3 pods', joined);
  // An alternation split at its top level keeps every branch.
  const either = regExpOf(/^TypeError$/, /|^RangeError$/);
  assert.ok(either.test('TypeError') && either.test('RangeError') && !either.test('Error'));
});

test('regExpOf refuses no parts, and parts whose flags differ, naming the part', () => {
  assert.throws(() => regExpOf(), /expected at least one part, got none/);
  assert.throws(() => regExpOf(/a/g, /b/), /expected every part to have the flags "g" of the first, part 1 has ""/);
});
