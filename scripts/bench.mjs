// `npm run bench`: compiles every bench/*.bench.ts and runs each one; every benchmark
// prints one JSON object on standard output.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const entries = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
if (entries.length === 0) {
  process.stderr.write(`bench: no benchmark matches ${only.join(', ') || 'bench/*.bench.ts'}\n`);
  process.exit(1);
}
await esbuild.build({
  absWorkingDir: root,
  entryPoints: entries.map((f) => `bench/${f}`),
  outdir: 'out/bench',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
let failed = false;
for (const f of entries) {
  const result = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'out/bench', f.replace(/\.ts$/, '.js'))], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
