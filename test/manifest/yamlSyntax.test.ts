import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateManifestText } from '../../src/core/manifest/validate';

function summarize(text: string) {
  return validateManifestText(text).map((f) => ({
    code: f.code,
    severity: f.severity,
    doc: f.documentIndex,
    range: [f.range.start.line, f.range.start.column, f.range.end.line, f.range.end.column],
  }));
}

test('an unclosed flow sequence is reported where the parser gives up', () => {
  const text = ['apiVersion: v1', 'kind: Pod', 'spec:', '  ports: [1', '  env: x', ''].join('\n');
  const [finding, ...rest] = validateManifestText(text);
  assert.equal(rest.length, 0);
  assert.equal(finding.code, 'PT1004');
  assert.equal(finding.severity, 'error');
  assert.match(finding.message, /^YAML bad indentation: Flow sequence/);
  assert.deepEqual([finding.range.start.line, finding.range.start.column], [4, 2]);
});

test('duplicate keys are errors, as kubectl rejects them', () => {
  assert.deepEqual(summarize('apiVersion: v1\nkind: Pod\nkind: Pod\n'), [
    { code: 'PT1002', severity: 'error', doc: 0, range: [2, 0, 2, 4] },
  ]);
});

test('a tab used for indentation is reported on the tab', () => {
  assert.deepEqual(
    summarize('apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n').map((f) => [f.code, f.range]),
    [['PT1003', [3, 0, 3, 1]]],
  );
});

test('a broken document does not hide findings in its neighbours', () => {
  const text =
    'apiVersion: v1\nkind: A\na: 1\na: 2\n---\napiVersion: v1\nkind: ConfigMap\n' +
    'metadata:\n  name: b\n---\napiVersion: v1\nkind: C\nb: [\n';
  const found = summarize(text).filter((f) => f.code.startsWith('PT1'));
  assert.deepEqual(
    found.map((f) => [f.code, f.doc]),
    [
      ['PT1002', 0],
      ['PT1004', 2],
    ],
  );
});

test('valid multi-document YAML has no findings', () => {
  assert.deepEqual(
    summarize(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n' +
        '# comment only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    ),
    [],
  );
});

test('empty text and comment-only text have no findings', () => {
  assert.deepEqual(summarize(''), []);
  assert.deepEqual(summarize('# nothing here\n'), []);
});
