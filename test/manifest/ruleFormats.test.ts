// The apimachinery format checks and quantities layer 3 builds on, pinned to upstream text.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isDNS1123Label,
  isQualifiedName,
  isLabelValue,
  isValidPortName,
  maskTrailingDash,
  regexError,
} from '../../src/core/manifest/rules/nameFormats';
import { scheduleError } from '../../src/core/manifest/rules/batchRules';

test('RegexError puts two spaces before each "or", as Go builds it', () => {
  assert.equal(regexError('m', 're', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 're')");
  assert.equal(regexError('m', 're', 'a'), "m (e.g. 'a', regex used for validation is 're')");
  assert.equal(regexError('m', 're'), "m (regex used for validation is 're')");
});

test('a DNS label with dots says so instead of quoting the regex', () => {
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.equal(isDNS1123Label('A_B').length, 1);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('label keys and values: 1.35 counts bytes and says "a valid label key"', () => {
  assert.match(isQualifiedName('a/b/c', 35)[0], /^a valid label key must consist/);
  assert.match(isQualifiedName('a/b/c', 32)[0], /^a qualified name must consist/);
  assert.deepEqual(isLabelValue('x'.repeat(64), 35).slice(0, 1), ['must be no more than 63 bytes']);
  assert.deepEqual(isLabelValue('x'.repeat(64), 32).slice(0, 1), ['must be no more than 63 characters']);
  assert.deepEqual(isQualifiedName('/x', 35), ['prefix part must be non-empty']);
  assert.deepEqual(isLabelValue('', 35), []);
});

test('IANA service names report every failing check, in upstream order', () => {
  assert.deepEqual(isValidPortName('-Http--Port-Name-'), [
    'must be no more than 15 characters',
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'must not contain consecutive hyphens',
    'must not begin or end with a hyphen',
  ]);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
});

test('generateName masks a trailing dash the way NameIsDNSSubdomain does', () => {
  assert.equal(maskTrailingDash('web-'), 'wea');
  assert.equal(maskTrailingDash('-'), '-');
  assert.equal(maskTrailingDash('web'), 'web');
});

test('cron schedules: robfig/cron error texts', () => {
  assert.equal(scheduleError('*/5 * * * *'), undefined);
  assert.equal(scheduleError('@hourly'), undefined);
  assert.equal(scheduleError('0 0 * * MON-FRI'), undefined);
  assert.equal(scheduleError('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
  assert.equal(scheduleError('60 * * * *'), 'end of range (60) above maximum (59): 60');
  assert.equal(scheduleError('0 0 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(scheduleError('@sometimes'), 'unrecognized descriptor: @sometimes');
});
