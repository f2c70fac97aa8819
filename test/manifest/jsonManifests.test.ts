// A file whose first non-space character is `{` is read by kubectl as JSON with Go's
// encoding/json: podtrace says what kubectl of the selected version says about it.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { goByteOffset, scanJsonStream } from '../../src/core/manifest/jsonStream';
import { validateManifestText } from '../../src/core/manifest/validate';

test('the JSON scanner stops where encoding/json stops, with its words', () => {
  const cases: [string, string, number][] = [
    ['{"a": 1,}', "invalid character '}' looking for beginning of object key string", 9],
    ['{"a": [1, 2,]}', "invalid character ']' looking for beginning of value", 13],
    ['{"a" 1}', "invalid character '1' after object key", 6],
    ['{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair", 9],
    ["{'a': 1}", "invalid character '\\'' looking for beginning of object key string", 2],
    ['{"a": tru}', "invalid character '}' in literal true (expecting 'e')", 10],
    ['{"a": 01}', "invalid character '1' after object key:value pair", 8],
    ['{"a": -}', "invalid character '}' in numeric literal", 8],
    ['{"a": 1.}', "invalid character '}' after decimal point in numeric literal", 9],
    ['{"a": 1e}', "invalid character '}' in exponent of numeric literal", 9],
    ['{"a": "\\x"}', "invalid character 'x' in string escape code", 9],
    ['{"a": "\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape", 12],
    ['{"a": "x\ty"}', "invalid character '\\t' in string literal", 9],
    ['{"é": [1] ,}', "invalid character '}' looking for beginning of object key string", 13],
    ['{"a": 1}\n# a comment', "invalid character '#' looking for beginning of value", 10],
  ];
  for (const [text, message, offset] of cases) {
    const verdict = scanJsonStream(text);
    assert.ok(verdict, `expected ${text} to fail`);
    assert.equal(verdict.message, message, text);
    assert.equal(goByteOffset(text, verdict.at), offset, text);
  }
  assert.deepEqual(scanJsonStream('{"a": "x'), { valuesBefore: 0, at: 8, message: 'unexpected EOF', syntax: false });
  assert.equal(scanJsonStream('{"a": [1, 2.5e-3, true, false, null, {"b": "\\u00e9\\n"}]}\n{}\n'), undefined);
  assert.equal(scanJsonStream(`{"a": ${'['.repeat(20000)}`)?.message, "invalid character '[' exceeded max depth");
});

const configMap =
  '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "trailing",},\n  "data": {"a": "b"}\n}\n';

function summary(text: string, version: '1.32' | '1.35'): string[] {
  return validateManifestText(text, { kubernetesVersion: version }).map(
    (f) => `${f.code} ${f.severity} ${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.message}`,
  );
}

test('kubectl 1.32 rejects a trailing comma in a JSON manifest, at its position', () => {
  assert.deepEqual(summary(configMap, '1.32'), [
    'PT1001 error 4:35: JSON syntax error: json: offset 82: ' +
      "invalid character '}' looking for beginning of object key string",
  ]);
});

test('kubectl 1.33 and later read it as YAML, which accepts it', () => {
  assert.deepEqual(summary(configMap, '1.35'), []);
});

test('kubectl 1.32 reads such a file as a JSON stream only: a --- between values fails it', () => {
  const stream =
    '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}\n---\n' +
    '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}\n';
  assert.deepEqual(summary(stream, '1.32'), [
    "PT1001 error 2:2: JSON syntax error: json: offset 71: invalid character '-' in numeric literal",
  ]);
  assert.deepEqual(summary(stream, '1.35'), []);
});

test('when YAML fails too, kubectl 1.32 gives the JSON error alone; 1.33 and later, the YAML errors', () => {
  const broken = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap"\n  "metadata": {"name": "x"}\n}\n';
  const strict = summary(broken, '1.32');
  assert.equal(strict.length, 1, strict.join('\n'));
  assert.match(
    strict[0],
    /^PT1001 error 4:3: JSON syntax error: json: offset 49: invalid character '"' after object key:value pair/,
  );
  const lenient = summary(broken, '1.35');
  assert.ok(lenient.length > 0 && lenient.every((f) => f.startsWith('PT1') && !f.includes('JSON')), lenient.join('\n'));
});

test('valid JSON manifests, and YAML files, have no JSON finding', () => {
  const valid = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ok"}, "data": {"a": "b"}}\n';
  assert.deepEqual(summary(valid, '1.32'), []);
  assert.deepEqual(summary(valid, '1.35'), []);
  assert.deepEqual(summary('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, }\n', '1.32'), []);
});
