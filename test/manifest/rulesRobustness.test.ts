// Layer 3 reads values of any shape: a field of the wrong type is the schema layer's to
// report, so the rules must neither throw nor point outside the text. Mutates every rule
// fixture, one field at a time, with a fixed seed so a failure replays.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyDefaults } from '../../src/core/manifest/base/defaults';
import { checkObjectRules } from '../../src/core/manifest/rules/registry';
import { validateManifestText } from '../../src/core/manifest/validate';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/validate/rules');
const replacements = ['0', '-5', '"x y"', '[]', '{}', 'null', '[1, {a: b}]', 'true', '99999999', '"-"', '""', 'Always'];

test('mutated manifests never make the rules throw, and every range lies inside the text', () => {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (const name of fs.readdirSync(fixtures).filter((f) => f.endsWith('.yaml'))) {
    const lines = fs.readFileSync(path.join(fixtures, name), 'utf8').split('\n');
    for (let k = 0; k < 25; k++) {
      const copy = [...lines];
      const i = next(copy.length);
      const field = /^(\s*-?\s*[\w./-]+:)\s*(.*)$/.exec(copy[i]);
      if (field) copy[i] = `${field[1]} ${replacements[next(replacements.length)]}`;
      const text = copy.join('\n');
      const findings = validateManifestText(text);
      for (const f of findings)
        assert.ok(
          f.range.start.offset >= 0 && f.range.end.offset <= text.length,
          `${name} line ${i + 1}: ${f.message}`,
        );
    }
  }
});

test('objects of the wrong shape are passed over', () => {
  for (const value of [
    null,
    1,
    'x',
    [],
    { kind: 'Pod' },
    { apiVersion: 'v1', kind: 'Pod', metadata: 'x', spec: [] },
    { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: 5 } },
  ]) {
    assert.doesNotThrow(() => checkObjectRules(applyDefaults(value), '1.35'));
  }
});
