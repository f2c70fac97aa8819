// Golden trace cases: every folder under test/fixtures/trace holds manifests (*.yaml), an
// optional scenario.yaml, an optional args.json ({seed, until, nodes, profile}) and the
// expected trace.json, which `podtrace trace --json` must reproduce byte for byte once uids
// and resourceVersions are normalised (test/trace/goldenNormalise.ts says why and how).
// `UPDATE_GOLDEN=1 npm test -- traceGolden` rewrites them, normalised, for review in the diff.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { firstDifference, normaliseTrace } from '../trace/goldenNormalise';
import { traceCase } from './traceCase';

const repoRoot = path.resolve(__dirname, '../../..');
const casesRoot = path.join(repoRoot, 'test/fixtures/trace');
const update = process.env.UPDATE_GOLDEN === '1';

const cases = fs
  .readdirSync(casesRoot, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test('there are golden trace cases', () => {
  assert.ok(cases.length >= 10, `expected the ten cases of issue 5 under ${casesRoot}`);
});

for (const name of cases) {
  test(`trace golden: ${name}`, () => {
    const dir = path.join(casesRoot, name);
    const expectedFile = path.join(dir, 'trace.json');
    const actual = normaliseTrace(traceCase(dir));
    if (update || !fs.existsSync(expectedFile)) {
      if (!update) {
        const missing = path.relative(repoRoot, expectedFile);
        assert.fail(`${missing} is missing; run UPDATE_GOLDEN=1 npm test -- traceGolden and review it`);
      }
      fs.writeFileSync(expectedFile, actual);
      return;
    }
    // The stored golden is normalised too, so one written by hand or before normalisation still compares.
    const expected = normaliseTrace(fs.readFileSync(expectedFile, 'utf8'));
    const difference = firstDifference(expected, actual);
    assert.equal(difference, undefined, `${path.relative(repoRoot, expectedFile)}: ${difference}`);
  });
}
