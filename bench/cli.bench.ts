// Cold start of the CLI as a whole process, against the floor of a bare `node -e ''`.
// Prints JSON: best of N wall-clock runs for each, and their ratio.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const runs = Number(process.env.BENCH_RUNS ?? 7);

function bestOf(args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    best = Math.min(best, elapsed);
  }
  return Math.round(best * 10) / 10;
}

const floorMs = bestOf(['-e', '']);
const versionMs = bestOf(['dist/cli.js', '--version']);
const validateExamplesMs = bestOf(['dist/cli.js', 'validate', 'examples']);
process.stdout.write(
  JSON.stringify({
    benchmark: 'cli-cold-start',
    runs,
    nodeFloorMs: floorMs,
    versionMs,
    validateExamplesMs,
    versionOverFloor: Math.round((versionMs / floorMs) * 100) / 100,
  }) + '\n',
);
