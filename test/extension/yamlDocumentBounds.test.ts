// The YAML document around the cursor, which the timeline highlights: from its `---` to the
// line before the next, or to its `...`.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { yamlDocumentBounds } from '../../src/extension/yamlDocumentBounds';

function bounds(text: string, line: number): [number, number] {
  const lines = text.split('\n');
  const b = yamlDocumentBounds(lines.length, (i) => lines[i], line);
  return [b.start, b.end];
}

const twoDocuments = ['# comment', 'kind: A', '---', 'kind: B', 'metadata: {name: b}', '--- # third', 'kind: C'].join(
  '\n',
);

test('a line belongs to the document whose --- comes before it; the first has none', () => {
  assert.deepEqual(bounds(twoDocuments, 0), [0, 1]);
  assert.deepEqual(bounds(twoDocuments, 1), [0, 1]);
  assert.deepEqual(bounds(twoDocuments, 4), [2, 4]);
  assert.deepEqual(bounds(twoDocuments, 6), [5, 6]);
});

test('a --- line belongs to the document it starts; a ... line to the one it ends', () => {
  assert.deepEqual(bounds(twoDocuments, 2), [2, 4]);
  assert.deepEqual(bounds(twoDocuments, 5), [5, 6]);
  const ended = ['kind: A', '...', '# between', '---', 'kind: B'].join('\n');
  assert.deepEqual(bounds(ended, 1), [0, 1]);
  assert.deepEqual(bounds(ended, 2), [2, 2]);
  assert.deepEqual(bounds(ended, 4), [3, 4]);
});

test('--- inside a longer token is not a marker', () => {
  assert.deepEqual(bounds(['a: 1', '----', 'b: 2', '---x', 'c: 3'].join('\n'), 4), [0, 4]);
});

test('a line outside the text is refused with the range it should be in', () => {
  assert.throws(() => bounds('a: 1\nb: 2', 2), /expected a line in 0…1, got 2/);
});
