// The duplicate-key check runs in time linear in the mapping, and reports exactly what the
// `yaml` package's own (quadratic) check reports.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { goYamlTags } from '../../src/core/manifest/base/goYamlScalars';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { validateManifestText } from '../../src/core/manifest/validate';

const seed = Number(process.env.PODTRACE_PROPERTY_SEED ?? 20261207);
const runs = Number(process.env.PODTRACE_PROPERTY_RUNS ?? 300);

function cpuMs(run: () => void): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

function mappingOf(keys: number, repeat = false): string {
  const lines: string[] = [];
  for (let i = 0; i < keys; i++) lines.push(`k${repeat ? i % 1000 : i}: v\n`);
  return lines.join('');
}

/** CPU time of a bare parse of `text` by the `yaml` package, the floor of any validation of it. */
function bareParseMs(text: string): number {
  return cpuMs(() => parseAllDocuments(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, merge: true }));
}

// The bounds are CPU time, and also a ratio to a bare parse measured alongside, so that the
// load of a shared machine does not decide the verdict; the quadratic check took 20 s for
// 40,000 keys, forty times its parse.
test('a mapping of 40,000 keys validates in well under a second, one of 300,000 in a few seconds', () => {
  const small = mappingOf(40_000);
  validateManifestText(mappingOf(2_000));
  let findings: ReturnType<typeof validateManifestText> = [];
  const smallMs = cpuMs(() => (findings = validateManifestText(small)));
  assert.deepEqual(findings, [], 'a mapping with distinct keys has no finding');
  const smallParseMs = bareParseMs(small);
  assert.ok(smallMs < 1500, `40,000 keys took ${Math.round(smallMs)} ms of CPU (expected under 1,500)`);
  assert.ok(
    smallMs < 3 * smallParseMs + 100,
    `40,000 keys took ${Math.round(smallMs)} ms of CPU, a bare parse ${Math.round(smallParseMs)} ms`,
  );
  const large = mappingOf(300_000);
  const largeMs = cpuMs(() => (findings = validateManifestText(large)));
  assert.deepEqual(findings, []);
  assert.ok(largeMs < 10_000, `300,000 keys took ${Math.round(largeMs)} ms of CPU (expected under 10,000)`);
});

test('every repeated key of a large mapping is reported once, on the key', () => {
  const text = mappingOf(20_000, true);
  const findings = validateManifestText(text);
  assert.equal(findings.length, 19_000, 'each key after the first of its name is a duplicate');
  const first = findings[0];
  assert.equal(first.code, 'PT1002');
  assert.equal(first.message, 'YAML duplicate key: Map keys must be unique');
  // Line 1001 holds the first repeat of `k0`; the finding underlines the key whole.
  assert.deepEqual([first.range.start.line, first.range.start.column, first.range.end.column], [1000, 0, 2]);
});

// Keys that collide or not under YAML 1.1's resolution: booleans spelled many ways,
// numbers in several bases, quoted and plain strings, null, NaN, timestamps, keys with
// anchors and tags, aliases, empty and explicit keys, the merge key.
const keyTokens = [
  'a',
  'b',
  'yes',
  'true',
  'True',
  'on',
  'y',
  '1',
  '0x1',
  '+1',
  '1.0',
  '"1"',
  "'a'",
  '"a"',
  '.nan',
  '.NaN',
  '~',
  'null',
  '',
  '&x a',
  '!!str 1',
  '!!str a',
  '*x',
  '2024-01-02',
  '<<',
  '? a',
  '? [a]',
  '[a]',
  '{a: 1}',
];
const valueTokens = ['1', 'v', '*x', '&y w', '{}', '[]', '"q"'];

interface Entry {
  readonly key: string;
  readonly value: string;
  readonly nested?: readonly Entry[];
}

const entry: fc.Arbitrary<Entry> = fc.record({
  key: fc.constantFrom(...keyTokens),
  value: fc.constantFrom(...valueTokens),
});
const block = fc.array(
  fc.oneof(
    entry,
    fc.record({
      key: fc.constantFrom(...keyTokens),
      value: fc.constant(''),
      nested: fc.array(entry, { maxLength: 6 }),
    }),
  ),
  { maxLength: 10 },
);

function blockText(entries: readonly Entry[], indent = ''): string {
  return entries
    .map((e) => {
      const key = e.key.startsWith('? ') ? `${e.key}\n${indent}:` : `${e.key}:`;
      if (e.nested) return `${indent}${key}\n${blockText(e.nested, indent + '  ')}`;
      return `${indent}${key} ${e.value}\n`;
    })
    .join('');
}

function flowText(entries: readonly Entry[]): string {
  return `{${entries
    .filter((e) => !e.key.startsWith('? '))
    .map((e) => `${e.key}: ${e.value}`)
    .join(', ')}}\n`;
}

/**
 * A document's errors as `code@offset`, sorted. After a key with an empty value the parser
 * places a duplicate key's error at the end of the line before the key; podtrace places it
 * on the key, so the comparison skips the whitespace in between. In a document the parser
 * could not make sense of (another error), its duplicate errors can land anywhere near the
 * key, so there only their number is compared.
 */
function describeErrors(text: string, errors: readonly { code: string; pos: [number, number] }[]): string[] {
  const broken = errors.some((e) => e.code !== 'DUPLICATE_KEY');
  return errors
    .map((e) => {
      if (e.code !== 'DUPLICATE_KEY') return `${e.code}@${e.pos[0]}`;
      if (broken) return e.code;
      let at = e.pos[0];
      while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
      return `${e.code}@${at}`;
    })
    .sort();
}

/** The package's own quadratic check, with the scalars resolved as podtrace resolves them (timestamps stay strings). */
function packageErrors(text: string): string[][] {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    uniqueKeys: true,
    prettyErrors: false,
    merge: true,
    customTags: goYamlTags,
  });
  return (Array.isArray(docs) ? docs : []).map((d) => describeErrors(text, d.errors));
}

function podtraceErrors(text: string): string[][] {
  return parseManifestText(text).documents.map((d) => describeErrors(text, d.errors));
}

test('the linear duplicate-key check reports what the parser’s own check reports', () => {
  fc.assert(
    fc.property(block, block, fc.boolean(), (a, b, flow) => {
      const text = `${flow ? flowText(a) : blockText(a)}---\n${blockText(b)}`;
      assert.deepEqual(podtraceErrors(text), packageErrors(text), JSON.stringify(text));
    }),
    { seed, numRuns: runs },
  );
});
