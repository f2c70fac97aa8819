import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { findingCodes } from '../src/core/manifest/findingCodes';

const repoRoot = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

test('every finding code is documented in the README under its own anchor', () => {
  const missing = findingCodes.filter((c) => !readme.includes(`<a id="${c.code.toLowerCase()}"></a>${c.code}`));
  assert.deepEqual(
    missing.map((c) => c.code),
    [],
  );
});

test('package.json contributes exactly the commands the extension registers', () => {
  const source = fs.readFileSync(path.join(repoRoot, 'src/extension/commands.ts'), 'utf8');
  const table = source.slice(source.indexOf('export const commandTable'));
  const registered = [...table.matchAll(/'(podtrace\.[A-Za-z]+)'\s*:/g)].map((m) => m[1]).sort();
  const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.ok(registered.length > 0, 'expected to find the command table');
  assert.deepEqual(contributed, registered);
});

test('the manifest has what the marketplace and VS Code 1.100 need', () => {
  assert.equal(pkg.name, 'podtrace');
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.bin.podtrace, 'dist/cli.js');
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.devDependencies['@types/vscode'], '~1.100.0');
  assert.ok(pkg.capabilities.untrustedWorkspaces, 'expected the untrusted-workspace capability to be declared');
  const editorMenu = pkg.contributes.menus['editor/context'];
  assert.ok(
    editorMenu.some(
      (m: { command: string; when: string }) => m.command === 'podtrace.applyToCluster' && m.when.includes('yaml'),
    ),
  );
  assert.deepEqual(pkg.contributes.configuration.properties['podtrace.kubernetesVersion'].enum, ['1.35', '1.32']);
  const grammar = pkg.contributes.grammars[0];
  assert.ok(fs.existsSync(path.join(repoRoot, grammar.path)), `expected the grammar at ${grammar.path}`);
  assert.ok(fs.existsSync(path.join(repoRoot, pkg.icon)), `expected the icon at ${pkg.icon}`);
});

test('the output grammar matches the lines podtrace prints', () => {
  const grammar = JSON.parse(fs.readFileSync(path.join(repoRoot, 'syntaxes/podtrace-output.tmLanguage.json'), 'utf8'));
  const finding = new RegExp(grammar.repository.finding.match);
  const m = finding.exec('examples/mistakes/broken-yaml.yaml:11:7: error PT1004 YAML bad indentation: Flow sequence');
  assert.ok(m, 'expected the finding pattern to match a validate line');
  assert.deepEqual(
    [m[1], m[2], m[3], m[4], m[7]],
    ['examples/mistakes/broken-yaml.yaml', '11', '7', 'error', 'PT1004'],
  );
  assert.equal(finding.exec('not a finding line'), null);
});
