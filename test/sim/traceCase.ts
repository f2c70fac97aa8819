// Runs one golden trace case folder through `podtrace trace --json`, in process.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTrace } from '../../src/cli/traceCommand';

export function traceCase(dir: string, extra: string[] = []): string {
  const args = fs.existsSync(path.join(dir, 'args.json'))
    ? JSON.parse(fs.readFileSync(path.join(dir, 'args.json'), 'utf8'))
    : {};
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-golden-')), 'trace.json');
  const argv = ['--quiet', '--json', out, '--seed', String(args.seed ?? 1)];
  if (args.until !== undefined) argv.push('--until', String(args.until));
  if (args.nodes !== undefined) argv.push('--nodes', String(args.nodes));
  if (args.profile !== undefined) argv.push('--profile', path.join(dir, args.profile));
  // Named relative to the working directory (the repository's root under npm test), as a user
  // would type them: the source ranges in the trace name the files that way, wherever the clone is.
  if (fs.existsSync(path.join(dir, 'scenario.yaml')))
    argv.push('--scenario', path.relative(process.cwd(), path.join(dir, 'scenario.yaml')));
  const manifests = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'scenario.yaml')
    .sort()
    .map((f) => path.relative(process.cwd(), path.join(dir, f)));
  let stderr = '';
  const status = runTrace([...argv, ...extra, ...manifests], {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    readStdin: () => '',
  });
  if (status !== 0) throw new Error(`trace of ${dir} exited ${status}: ${stderr}`);
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return text;
}
