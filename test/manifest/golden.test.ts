// Golden tests: every test/fixtures/validate/**/<case>.yaml is validated and compared with
// <case>.findings.json beside it. `UPDATE_GOLDEN=1 npm test -- golden` rewrites the
// expected files for review in the diff. A fixture may start with a comment line
// `# kubernetes-version: 1.32` to validate against another version.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isSupportedKubernetesVersion } from '../../src/core/base/kubernetesVersion';
import { validateManifestText } from '../../src/core/manifest/validate';

const repoRoot = path.resolve(__dirname, '../../..');
const fixturesRoot = path.join(repoRoot, 'test/fixtures/validate');
const update = process.env.UPDATE_GOLDEN === '1';

interface GoldenFinding {
  code: string;
  severity: string;
  /** 1-based `line:column-endLine:endColumn`, end exclusive, as the CLI's JSON reports it. */
  range: string;
  path: string;
  message: string;
}

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...fixtureFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

export function goldenFindings(text: string): GoldenFinding[] {
  const version = /^# kubernetes-version: (\S+)/m.exec(text)?.[1];
  if (version !== undefined && !isSupportedKubernetesVersion(version))
    throw new Error(`unsupported kubernetes-version ${version}`);
  return validateManifestText(text, version ? { kubernetesVersion: version } : undefined).map((f) => ({
    code: f.code,
    severity: f.severity,
    range: `${f.range.start.line + 1}:${f.range.start.column + 1}-${f.range.end.line + 1}:${f.range.end.column + 1}`,
    path: f.path,
    message: f.message,
  }));
}

const files = fixtureFiles(fixturesRoot);

test('there are golden fixtures to run', () => {
  assert.ok(files.length > 0, `expected fixtures under ${fixturesRoot}`);
});

for (const file of files) {
  const name = path.relative(fixturesRoot, file);
  test(`golden: ${name}`, () => {
    const expectedFile = file.replace(/\.ya?ml$/, '.findings.json');
    const actual = goldenFindings(fs.readFileSync(file, 'utf8'));
    if (update || !fs.existsSync(expectedFile)) {
      if (!update)
        assert.fail(
          `${path.relative(repoRoot, expectedFile)} is missing; run UPDATE_GOLDEN=1 npm test -- golden and review it`,
        );
      fs.writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
      return;
    }
    const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
    assert.deepEqual(actual, expected);
  });
}
