// Line endings and document separators as kubectl reads them: a lone CR ends a line (go-yaml
// and editors agree), but kubectl's reader splits documents only at `---` lines ending in LF.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubernetesObjects } from '../../src/core/manifest/decode';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { validateManifestText } from '../../src/core/manifest/validate';

function summary(text: string): string[] {
  return validateManifestText(text).map(
    (f) =>
      `${f.code} ${f.severity} ${f.range.start.line + 1}:${f.range.start.column + 1} ` +
      `doc ${f.documentIndex}: ${f.message}`,
  );
}

const configMap = (name: string, eol: string) =>
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:', '  a: b', ''].join(eol);

test('a file with CR line endings parses, and findings keep the lines an editor shows', () => {
  assert.deepEqual(summary(configMap('good', '\r')), []);
  const found = summary(configMap('Bad_Name', '\r'));
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^PT3001 error 4:9 doc 0: metadata.name: Invalid value: "Bad_Name"/);
  assert.deepEqual(summary(configMap('good', '\r\n')), []);
});

test('kubectl does not split at --- lines ending in a lone CR: the documents after are ignored, with a warning', () => {
  const text = configMap('first', '\r') + '---\r' + configMap('second', '\r');
  const found = summary(text);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^PT1005 warning 7:1 doc 1: YAML warning: kubectl ignores this document: .*a lone CR/);
});

test('a --- line with content after it fails in kubectl, which reads a CR-only file as one line', () => {
  const found = summary('---\r' + configMap('only', '\r'));
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(
    found[0],
    /^PT1001 error 1:1 doc 0: YAML syntax error: invalid Yaml document separator: apiVersion: v1\\rkind: ConfigMap\\r/,
  );
  const inline = summary(configMap('a', '\n') + '--- !!map\n' + configMap('b', '\n'));
  assert.deepEqual(
    inline.map((f) => f.slice(0, 90)),
    ['PT1001 error 7:1 doc 1: YAML syntax error: invalid Yaml document separator: !!map (kubectl'],
  );
  assert.deepEqual(summary('--- # a comment\n' + configMap('c', '\n')), []);
});

test('a document after a ... end marker is not applied by kubectl', () => {
  const found = summary(configMap('first', '\n') + '...\n' + configMap('second', '\n'));
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^PT1005 warning 8:1 doc 1: .*follows a \.\.\. end marker/);
});

test('the documents kubectl does not see are not applied either', () => {
  const names = (text: string) =>
    (kubernetesObjects(parseManifestText(text)) as { metadata: { name: string } }[]).map((o) => o.metadata.name);
  assert.deepEqual(names(configMap('first', '\r') + '---\r' + configMap('second', '\r')), ['first']);
  assert.deepEqual(names(configMap('first', '\n') + '...\n' + configMap('second', '\n')), ['first']);
  assert.deepEqual(names(configMap('first', '\r\n') + '---\r\n' + configMap('second', '\r\n')), ['first', 'second']);
  assert.deepEqual(names(configMap('first', '\n') + '---\n' + configMap('second', '\n')), ['first', 'second']);
});
