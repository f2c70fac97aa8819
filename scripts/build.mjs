// Bundles podtrace with esbuild: the extension (CommonJS, `vscode` external), the trace
// worker it starts (a worker_threads entry that never imports `vscode`), the kubeconfig bundle
// (client-node, loaded on first use of a real context), the CLI, and the timeline webview app.
// `--tests` also compiles every test file to out/test, because Node 20's test runner does not
// read TypeScript.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchemas } from './buildSchemas.mjs';
import { bundledPackages, noticeBanner } from './thirdPartyNotices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { PODTRACE_VERSION: JSON.stringify(pkg.version) },
  absWorkingDir: root,
};

/** Every file under `dir` whose name matches `pattern`, sorted. */
export function findFiles(dir, pattern) {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'fixtures' && entry.name !== 'node_modules') walk(full);
      } else if (pattern.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Builds one bundle with the notices of the packages it bundles in its leading comment: a
 * first pass, not written, finds them (esbuild's metafile), the second writes the file.
 */
async function buildWithNotices(options) {
  const { metafile } = await esbuild.build({
    ...options,
    write: false,
    metafile: true,
    sourcemap: false,
    minify: false,
    logLevel: 'silent',
  });
  const notices = noticeBanner(bundledPackages(metafile, root));
  const banner = [options.banner?.js, notices].filter(Boolean).join('\n');
  return esbuild.build({ ...options, banner: banner ? { js: banner } : undefined });
}

async function buildProduct() {
  // A stale source map or bundle from an earlier build must not end up in the .vsix.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  // The per-kind schema snapshot (regenerated only when its inputs changed) → dist/schemas.
  buildSchemas({ log: (m) => process.stderr.write(m + '\n') });
  await Promise.all([
    buildWithNotices({
      ...common,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
    }),
    buildWithNotices({
      ...common,
      entryPoints: ['src/extension/traceWorker.ts'],
      outfile: 'dist/traceWorker.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    }),
    // The kubeconfig bundle: @kubernetes/client-node (an ES module) in a CommonJS bundle of its own,
    // loaded on first use of a real context, so that nothing else carries or starts it.
    buildWithNotices({
      ...common,
      entryPoints: ['src/core/cluster/kubeClientEntry.ts'],
      outfile: 'dist/kubeClient.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    }),
    buildWithNotices({
      ...common,
      entryPoints: ['src/cli/cli.ts'],
      outfile: 'dist/cli.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      banner: { js: '#!/usr/bin/env node' },
    }),
    buildWithNotices({
      ...common,
      entryPoints: ['src/webview/main.ts'],
      outfile: 'dist/webview/timeline.js',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    }),
  ]);
  fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
}

async function buildTests() {
  const testRoot = path.join(root, 'test');
  const entries = findFiles(testRoot, /\.test\.ts$/).filter(
    (f) => !f.includes(`${path.sep}vscode${path.sep}suite${path.sep}`),
  );
  await esbuild.build({
    ...common,
    entryPoints: entries,
    outdir: 'out/test',
    outbase: 'test',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
  });
  // The tests that run inside VS Code: one module whose run() executes the suite.
  await esbuild.build({
    ...common,
    entryPoints: ['test/vscode/suite/index.ts'],
    outfile: 'out/vscode-tests/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
  });
  // The @vscode/test-electron runner, for machines that can download VS Code.
  await esbuild.build({
    ...common,
    entryPoints: ['test/electron/runElectronTests.ts'],
    outfile: 'out/electron/runElectronTests.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
  });
  return entries.map((f) => path.join('out/test', path.relative(testRoot, f)).replace(/\.ts$/, '.js'));
}

const started = Date.now();
await buildProduct();
if (args.has('--tests')) {
  const files = await buildTests();
  fs.writeFileSync(path.join(root, 'out/test/files.json'), JSON.stringify(files, null, 2));
}
process.stderr.write(`build: done in ${Date.now() - started} ms\n`);
