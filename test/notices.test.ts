// Every bundle carries the licence notices of the npm packages esbuild put into it, in its
// leading comment, so the .vsix and every HTML report (which inlines the timeline app) do too.
import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../..');

const bundles = [
  { entry: 'src/extension/extension.ts', file: 'dist/extension.js', platform: 'node' as const },
  { entry: 'src/extension/traceWorker.ts', file: 'dist/traceWorker.js', platform: 'node' as const },
  { entry: 'src/cli/cli.ts', file: 'dist/cli.js', platform: 'node' as const },
  { entry: 'src/webview/main.ts', file: 'dist/webview/timeline.js', platform: 'browser' as const },
];

for (const bundle of bundles) {
  test(`${bundle.file} names every package it bundles, with its licence text`, async () => {
    const { metafile } = await esbuild.build({
      absWorkingDir: repoRoot,
      entryPoints: [bundle.entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: bundle.platform,
      external: ['vscode'],
      outdir: 'out/notices',
      logLevel: 'silent',
    });
    const packages = new Set(
      Object.keys(metafile.inputs).flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []),
    );
    assert.ok(packages.size > 0, `expected ${bundle.entry} to bundle npm packages`);
    const text = fs.readFileSync(path.join(repoRoot, bundle.file), 'utf8');
    const start = text.indexOf('/*! podtrace bundles the following packages.');
    assert.ok(start >= 0 && start < 40, `expected ${bundle.file} to open with its notices`);
    const notices = text.slice(start, text.indexOf('*/', start));
    for (const name of packages) {
      const version = (
        JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
      assert.match(
        notices,
        new RegExp(`^${name.replace('/', '\\/')} ${version.replaceAll('.', '\\.')} \\(`, 'm'),
        `${bundle.file} names ${name} ${version}`,
      );
    }
    assert.match(notices, /Permission (is hereby granted|to use, copy, modify)/, 'the licence texts themselves');
  });
}
