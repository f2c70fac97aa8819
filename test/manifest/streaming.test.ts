// validateManifestTexts, the CLI's validation, streams each file (part by part, documents
// kept as summaries for the set pass): the same findings as validating whole parsed texts,
// across files too, in time linear in the input.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as fc from 'fast-check';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { validateManifestText, validateManifestTexts, validateParsedManifests } from '../../src/core/manifest/validate';

const seed = Number(process.env.PODTRACE_PROPERTY_SEED ?? 20261207);
const runs = Number(process.env.PODTRACE_PROPERTY_RUNS ?? 100);

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
`;

// Documents that exercise every check of the set pass: a CRD and custom resources checked
// against it (valid, invalid, with the finding deep in the part), a kind no CRD teaches,
// the same object twice, a document that does not parse, and plain YAML.
const documents = [
  crd,
  'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n',
  'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: large\n  colour: red\n',
  'apiVersion: other.example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: other\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\nkey: a\nkey: b\n',
  'a: 1\n',
  '# only a comment\n',
];

const file = fc
  .array(fc.constantFrom(...documents), { minLength: 0, maxLength: 6 })
  .map((docs) => docs.map((d) => `---\n${d}`).join(''));

test('streaming one file gives the findings of a full validation', () => {
  fc.assert(
    fc.property(file, (text) => {
      assert.deepEqual(
        validateManifestTexts([{ name: 'a.yaml', text }])[0],
        validateManifestText(text),
        JSON.stringify(text),
      );
    }),
    { seed, numRuns: runs },
  );
});

test('streaming several files gives the findings of validating the parsed files as one set', () => {
  fc.assert(
    fc.property(fc.array(file, { minLength: 1, maxLength: 3 }), (texts) => {
      const inputs = texts.map((text, i) => ({ name: `f${i}.yaml`, text }));
      const whole = validateParsedManifests(inputs.map(({ name, text }) => ({ name, file: parseManifestText(text) })));
      assert.deepEqual(validateManifestTexts(inputs), whole, JSON.stringify(texts));
    }),
    { seed, numRuns: runs },
  );
});

test('a custom resource checked against a CRD in another file is reported at its own lines', () => {
  const widgets = `---\n${documents[1]}---\n${documents[2]}`;
  const [, found] = validateManifestTexts([
    { name: 'crd.yaml', text: crd },
    { name: 'widgets.yaml', text: widgets },
  ]);
  // The second Widget (lines 8 to 14) repeats the first's name and breaks the CRD's schema.
  assert.deepEqual(
    found.map((f) => [f.code, f.path, f.range.start.line, f.range.start.column, f.documentIndex]),
    [
      ['PT2013', 'metadata.name', 11, 8, 1],
      ['PT2002', 'spec.size', 13, 8, 1],
      ['PT2001', 'spec.colour', 14, 2, 1],
    ],
  );
});

/** `bytes` of small documents, each with its own name. */
function smallDocuments(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc =
      i % 2 === 0
        ? `a: ${i}\n---\n`
        : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\ndata:\n  k: v\n---\n`;
    parts.push(doc);
    size += doc.length;
  }
  return parts.join('');
}

function cpuMs(run: () => void): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

test('validation time grows linearly with the input: 4 times the documents take less than 6 times as long', () => {
  const small = smallDocuments(512 << 10);
  const large = smallDocuments(2 << 20);
  validateManifestTexts([{ name: 'warm.yaml', text: smallDocuments(64 << 10) }]);
  let smallFindings = 0;
  let largeFindings = 0;
  const smallMs = cpuMs(() => (smallFindings = validateManifestTexts([{ name: 'small.yaml', text: small }])[0].length));
  const largeMs = cpuMs(() => (largeFindings = validateManifestTexts([{ name: 'large.yaml', text: large }])[0].length));
  assert.equal(smallFindings, 0, 'distinct small documents have no finding');
  assert.equal(largeFindings, 0);
  const ratio = largeMs / smallMs;
  assert.ok(
    ratio < 6,
    `512 KB took ${Math.round(smallMs)} ms of CPU and 2 MB ${Math.round(largeMs)} ms: ` +
      `ratio ${ratio.toFixed(2)} (expected under 6)`,
  );
});

test('podtrace validate holds one part at a time: 1 MB of small documents validate in a 48 MB heap', () => {
  // Parsing the whole file kept every document's syntax tree: about 250 MB of heap per MB
  // of such documents, so this run ended with V8 out of memory.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-stream-'));
  try {
    const file = path.join(dir, 'small.yaml');
    fs.writeFileSync(file, smallDocuments(1 << 20));
    const cli = path.join(path.resolve(__dirname, '../../..'), 'dist/cli.js');
    const run = spawnSync(process.execPath, ['--max-old-space-size=48', cli, 'validate', '--format', 'json', file], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(
      run.status,
      0,
      `expected exit 0, got ${run.status} (${run.signal ?? 'no signal'}): ${run.stderr.slice(0, 400)}`,
    );
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /"findings":\s*\[\]/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
