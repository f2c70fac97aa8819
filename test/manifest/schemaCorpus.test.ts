// Every document of the Kubernetes examples corpus (../shared/corpus/kubernetes-examples)
// that kubectl and a real 1.35 apiserver accept must get no error of any layer (YAML,
// schema, apiserver rules); the ones they reject are listed with the reason in
// schemaCorpusInvalid.json and must get exactly those codes (many _archived/ documents use
// removed APIs: they get the removed-API error, not silence).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { validateManifestText } from '../../src/core/manifest/validate';

const repoRoot = path.resolve(__dirname, '../../..');

function sharedDir(): string | undefined {
  const candidates = [process.env.PODTRACE_SHARED, path.resolve(repoRoot, '../shared'), '/work/shared'].filter(
    (c): c is string => !!c,
  );
  return candidates.find((c) => fs.existsSync(path.join(c, 'corpus', 'kubernetes-examples')));
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const shared = sharedDir();
const expected: Record<string, { codes: string[]; reason: string }> = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'test/manifest/schemaCorpusInvalid.json'), 'utf8'),
).documents;

test('errors on the Kubernetes examples are exactly the documented invalid ones', () => {
  assert.ok(
    shared,
    `the corpus is read from ../shared/corpus/kubernetes-examples (or $PODTRACE_SHARED); none found beside ${repoRoot}`,
  );
  const root = path.join(shared!, 'corpus', 'kubernetes-examples');
  const actual: Record<string, string[]> = {};
  let documents = 0;
  for (const file of yamlFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    documents += text.split(/^---/m).length;
    for (const f of validateManifestText(text, { kubernetesVersion: '1.35' })) {
      if (f.severity !== 'error') continue;
      (actual[`${path.relative(root, file).split(path.sep).join('/')}#${f.documentIndex}`] ??= []).push(f.code);
    }
  }
  assert.ok(documents > 250, `expected the whole corpus, read ${documents} documents`);
  const want = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.codes]));
  assert.deepEqual(actual, want);
});
