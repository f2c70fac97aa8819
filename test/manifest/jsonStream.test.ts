// The JSON scanner against JavaScript's own strict JSON parser: both follow RFC 8259, so for
// one value they agree on validity; the scanner never throws, on any text, however deep.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import * as fc from 'fast-check';
import { scanJsonStream } from '../../src/core/manifest/jsonStream';

const seed = Number(process.env.PODTRACE_PROPERTY_SEED ?? 20261123);
const runs = Number(process.env.PODTRACE_PROPERTY_RUNS ?? 100);

const jsonishTokens = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"a"',
  '"',
  '\\',
  '\\u00e9',
  '1',
  '-',
  '0',
  '.5',
  'e3',
  'true',
  'tru',
  'null',
  ' ',
  '\n',
  '\t',
  "'",
  '#',
  'é',
];
const jsonish = fc.array(fc.constantFrom(...jsonishTokens), { maxLength: 30 }).map((t) => t.join(''));

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

test('for one value, the scanner accepts exactly what JSON.parse accepts', () => {
  fc.assert(
    fc.property(fc.oneof(jsonish, fc.json()), (text) => {
      // A stream of several values is valid for Go's decoder and not for JSON.parse: compare
      // when the text is a valid stream of exactly one value (counted by putting a mark after it).
      const verdict = scanJsonStream(text);
      const oneValue = verdict === undefined && scanJsonStream(`${text} !`)?.valuesBefore === 1;
      assert.equal(oneValue, parsesAsJson(text), `${JSON.stringify(text)}: ${verdict?.message ?? 'accepted'}`);
    }),
    { seed, numRuns: runs * 10 },
  );
});

test('the scanner never throws and stops inside the text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), fc.nat(3000), (text, depth) => {
      for (const input of [text, `${'['.repeat(depth)}${text}`, `{"a": ${'{"b": '.repeat(depth)}${text}`]) {
        const verdict = scanJsonStream(input);
        if (verdict) assert.ok(verdict.at >= 0 && verdict.at <= input.length && verdict.message.length > 0);
      }
    }),
    { seed, numRuns: runs },
  );
});
