// Deep nesting gives one finding where the document passes podtrace's depth limit, never a
// stack overflow at an arbitrary column or hundreds of identical findings.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubernetesObjects } from '../../src/core/manifest/decode';
import { kubectlMaxDepth, maxNestingDepth } from '../../src/core/manifest/base/nestingDepth';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { validateManifestText } from '../../src/core/manifest/validate';
import { regExpOf } from '../regExpOf';

const header = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  a: ';
// The value of data.a sits at depth 2 (the document's map, then data), so n brackets put the
// innermost collection at depth n + 2.
const flow = (n: number) =>
  `${header}${'['.repeat(n)}${']'.repeat(n)}\n---\napiVersion: v1\n` +
  `kind: ConfigMap\nmetadata:\n  name: after\ndata:\n  k: [1]\n`;

function summary(text: string): string[] {
  return validateManifestText(text).map(
    (f) => `${f.code} ${f.severity} ${f.range.start.line + 1}:${f.range.start.column + 1} doc ${f.documentIndex}`,
  );
}

test('5,000 nested brackets give one warning at the bracket past the limit, and the next document is checked', () => {
  const text = flow(5000);
  const found = validateManifestText(text);
  assert.equal(found.length, 2, JSON.stringify(found.map((f) => f.message)));
  const column = header.length - header.lastIndexOf('\n') - 1 + (maxNestingDepth - 2) + 1;
  assert.deepEqual(summary(text)[0], `PT1005 warning 6:${column} doc 0`);
  assert.match(
    found[0].message,
    regExpOf(
      /more than 200 levels deep from here; podtrace does not /,
      /validate a document this deep \(kubectl accepts up to 10000\)/,
    ),
  );
  // The ConfigMap after it has a data value of the wrong type: validated, not hidden.
  assert.equal(found[1].documentIndex, 1);
  assert.equal(found[1].code, 'PT2002');
});

test("past kubectl's own limit the document is an error, in kubectl's words", () => {
  const found = validateManifestText(
    `${header}${'{a: '.repeat(kubectlMaxDepth + 5)}1${'}'.repeat(kubectlMaxDepth + 5)}\n`,
  );
  assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
  // The issue's case: 10,000 brackets inside data (10,002 levels) give one finding, not 810.
  const issue = validateManifestText(`${header}${'['.repeat(10000)}${']'.repeat(10000)}\n`);
  assert.deepEqual(
    issue.map((f) => [f.code, f.range.start.line, f.range.start.column]),
    [['PT1001', 5, 5 + maxNestingDepth - 2]],
  );
  assert.equal(found[0].code, 'PT1001');
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /^YAML syntax error: exceeded max depth of 10000/);
});

test('nesting at the limit is validated as usual, in flow and block style', () => {
  assert.deepEqual(
    summary(flow(maxNestingDepth - 2)).filter((f) => f.includes('doc 0')),
    ['PT2002 error 6:6 doc 0'],
  );
  const block =
    `${header.slice(0, -3)}\n` +
    `${Array.from({ length: maxNestingDepth - 1 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} x\n`;
  const found = summary(block);
  assert.ok(
    found.every((f) => !f.startsWith('PT1005') && !f.startsWith('PT1001')),
    found.join('\n'),
  );
  assert.ok(found.length > 0, 'the nested data map is a type error in a ConfigMap');
});

test('block sequences nested on one line count as nesting', () => {
  const text = `${header.slice(0, -3)}\n  a:\n${'- '.repeat(1000)}x\n`;
  const found = summary(text);
  assert.deepEqual(
    found.map((f) => f.split(' ').slice(0, 2).join(' ')),
    ['PT1005 warning'],
  );
  assert.equal(kubernetesObjects(parseManifestText(text)).length, 0, 'a document left unchecked is not applied either');
});
