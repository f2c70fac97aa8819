// Layer 3 end to end: the example with mistakes, the corpus of real manifests (which must
// raise no rule errors), the quick fixes, and the layer's speed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding, TextEdit } from '../../src/core/base/finding';
import { applyDefaults } from '../../src/core/manifest/base/defaults';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { checkObjectRules } from '../../src/core/manifest/rules/registry';
import { validateManifestText } from '../../src/core/manifest/validate';

const repoRoot = path.resolve(__dirname, '../../..');
const sharedRoot = [path.resolve(repoRoot, '../shared'), '/work/shared'].find((p) =>
  fs.existsSync(path.join(p, 'corpus')),
);

const ruleFindings = (text: string) => validateManifestText(text).filter((f) => f.code.startsWith('PT3'));

test('the example with mistakes gets the apiserver rule findings', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'examples/mistakes/web-with-mistakes.yaml'), 'utf8');
  const got = ruleFindings(text).map((f) => `${f.range.start.line + 1} ${f.severity} ${f.code} ${f.message}`);
  assert.deepEqual(got, [
    '5 error PT3001 metadata.name: Invalid value: "Web_Frontend": a lowercase RFC 1123 ' +
      `subdomain must consist of lower case alphanumeric characters, '-' or '.', ` +
      `and must start and end with an alphanumeric character (e.g. 'example.com', ` +
      `regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    '14 error PT3003 spec.template.metadata.labels: Invalid value: ' +
      '{"app":"frontend"}: `selector` does not match template `labels`',
    '22 warning PT3018 spec.template.spec.containers[0].ports[1]: ' +
      'duplicate port definition with spec.template.spec.containers[0].ports[0]',
    '25 error PT3007 spec.template.spec.containers[0].resources.requests: ' +
      'Invalid value: "2": must be less than or equal to cpu limit of 1',
    '44 error PT3008 spec.ports[0].name: Required value',
    '46 error PT3008 spec.ports[1].name: Required value',
  ]);
});

test('the valid examples get no rule findings', () => {
  for (const name of fs.readdirSync(path.join(repoRoot, 'examples/web'))) {
    assert.deepEqual(ruleFindings(fs.readFileSync(path.join(repoRoot, 'examples/web', name), 'utf8')), [], name);
  }
});

/** Documents of the corpus that a real apiserver rejects, with the reason. */
const knownInvalid: Record<string, string> = {
  '_archived/volumes/aws_ebs/aws-ebs-web.yaml':
    'containerPort protocol "tcp": the apiserver is case-sensitive and rejects it',
  '_archived/volumes/cinder/cinder-web.yaml':
    'containerPort protocol "tcp": the apiserver is case-sensitive and rejects it',
  '_archived/sysdig-cloud/sysdig-rc.yaml':
    'a ReplicationController with neither a selector nor template ' +
    'labels to default it from: spec.selector: Required value',
};

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : /\.(ya?ml|json)$/.test(e.name) ? [full] : [];
  });
}

test(
  'no rule errors on the kubernetes/examples corpus except the documents known to be invalid',
  { skip: !sharedRoot && 'no shared corpus' },
  () => {
    const root = path.join(sharedRoot!, 'corpus/kubernetes-examples');
    const unexpected: string[] = [];
    const flagged = new Set<string>();
    for (const file of walk(root)) {
      const rel = path.relative(root, file);
      const errors = ruleFindings(fs.readFileSync(file, 'utf8')).filter((f) => f.severity === 'error');
      if (errors.length) flagged.add(rel);
      if (!(rel in knownInvalid))
        unexpected.push(...errors.map((f) => `${rel}:${f.range.start.line + 1}: ${f.message}`));
    }
    assert.deepEqual(unexpected, []);
    assert.deepEqual(
      [...flagged].sort(),
      Object.keys(knownInvalid).sort(),
      'every known-invalid document is still reported',
    );
  },
);

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.range.start.offset - a.range.start.offset)
    .reduce((t, e) => t.slice(0, e.range.start.offset) + e.newText + t.slice(e.range.end.offset), text);
}

function fixOf(findings: Finding[], code: string): { title: string; edits: readonly TextEdit[] } {
  const fix = findings.find((f) => f.code === code)?.fixes?.[0];
  assert.ok(fix, `expected a quick fix on ${code}`);
  return fix;
}

const fixtures = path.join(repoRoot, 'test/fixtures/validate/rules');

test('quick fixes repair what they claim to', () => {
  for (const [name, code, title] of [
    ['name-uppercase.yaml', 'PT3001', "Change to 'web'"],
    ['container-name-uppercase.yaml', 'PT3010', "Change to 'web'"],
    ['duplicate-container-name.yaml', 'PT3004', "Rename to 'app-2'"],
    ['container-port-name-duplicate.yaml', 'PT3004', "Rename to 'http-2'"],
    ['selector-mismatch.yaml', 'PT3003', 'Make the template labels match the selector'],
    ['daemonset-selector-mismatch.yaml', 'PT3003', 'Make the template labels match the selector'],
  ] as const) {
    const text = fs.readFileSync(path.join(fixtures, name), 'utf8');
    const fix = fixOf(ruleFindings(text), code);
    assert.equal(fix.title, title, name);
    const repaired = applyEdits(text, fix.edits);
    assert.deepEqual(
      ruleFindings(repaired).filter((f) => f.severity === 'error'),
      [],
      `${name} after the fix:\n${repaired}`,
    );
  }
});

test('a missing selector label is added beside the existing ones', () => {
  const text = fs
    .readFileSync(path.join(fixtures, 'selector-mismatch.yaml'), 'utf8')
    .replace('        app: frontend', '        tier: frontend');
  const repaired = applyEdits(text, fixOf(ruleFindings(text), 'PT3003').edits);
  assert.match(repaired, /\n {8}tier: frontend\n {8}app: web\n/);
});

test('no fix is offered when the right value is not certain', () => {
  const text = fs.readFileSync(path.join(fixtures, 'name-underscore.yaml'), 'utf8');
  assert.equal(ruleFindings(text)[0].fixes, undefined);
});

test(
  'layer 3 checks 2,000 documents in a small fraction of the time parsing them takes',
  { skip: !sharedRoot && 'no shared corpus' },
  () => {
    const text = fs.readFileSync(path.join(sharedRoot!, 'corpus/bench-2000.yaml'), 'utf8');
    const parseStart = performance.now();
    const values = parseManifestText(text).documents.map((d) => d.yaml.toJS({ maxAliasCount: 100 }));
    const parseMs = performance.now() - parseStart;
    let best = Infinity;
    for (let run = 0; run < 8; run++) {
      const start = performance.now();
      for (const value of values) checkObjectRules(applyDefaults(value, '1.35'), '1.35');
      best = Math.min(best, performance.now() - start);
    }
    // Some 20–40 ms on an idle machine, against 1 s or more of parsing. A ratio rather than a
    // fixed bound, so that a loaded CI runner slows both sides alike.
    assert.ok(
      best < parseMs / 8,
      `layer 3 took ${best.toFixed(1)} ms for ${values.length} documents; parsing took ${parseMs.toFixed(0)} ms`,
    );
  },
);

test('PriorityClass: the value a user class may have, the system- names, \
the preemption policy (PT3019); the system classes themselves pass', () => {
  const pc = (name: string, body: string) =>
    `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: ${name}\n${body}\n`;
  const got = (text: string) => ruleFindings(text).map((f) => `${f.range.start.line + 1} ${f.code} ${f.message}`);
  assert.deepEqual(got(pc('huge', 'value: 1000000001')), [
    '5 PT3019 value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  ]);
  assert.deepEqual(got(pc('system-node-critical', 'value: 5')), [
    "4 PT3019 metadata.name: Forbidden: priority class names with 'system-' prefix are reserved " +
      'for system use only. error: value of system-node-critical PriorityClass must be 2000001000',
  ]);
  assert.deepEqual(got(pc('low', 'value: 1\npreemptionPolicy: Sometimes')), [
    '6 PT3019 preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
  ]);
  assert.deepEqual(got(pc('system-cluster-critical', 'value: 2000000000')), []);
  assert.deepEqual(got(pc('high', 'value: 1000000000\nglobalDefault: true')), []);
});
