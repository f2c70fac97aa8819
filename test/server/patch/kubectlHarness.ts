// Runs the real kubectl (1.32, from $KUBECTL or PATH) against a podtrace server started in this
// process, with a kubeconfig written for it. kubectl runs as a child process without blocking
// the event loop, which serves its requests.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubeconfigText } from '../../../src/core/server/kubeconfig';
import { startServer, type Harness } from '../serverHarness';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlSession {
  readonly harness: Harness;
  readonly dir: string;
  /** Runs kubectl with the session's kubeconfig; resolves with its exit code and output. */
  run(args: readonly string[], stdin?: string): Promise<KubectlResult>;
  /** Runs kubectl and fails with its output unless it exits 0. */
  ok(args: readonly string[], stdin?: string): Promise<string>;
  /** Writes a file in the session's folder and returns its path. */
  file(name: string, text: string): string;
  stop(): Promise<void>;
}

/**
 * kubectl's path: $KUBECTL, else the first on PATH. Undefined when there is none; the tests then
 * skip, except in CI, where a missing kubectl is a failure that says how to provide one.
 */
export function kubectlPath(): string | undefined {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  const found = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  const where = found.stdout.trim();
  return found.status === 0 && where !== '' ? where : undefined;
}

export function missingKubectlMessage(): string {
  return 'kubectl 1.32 was not found: set $KUBECTL to its path or put it on PATH';
}

export async function startKubectlSession(kubectl: string): Promise<KubectlSession> {
  const harness = await startServer({ speed: 50 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-kubectl-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    kubeconfigText({
      server: `https://127.0.0.1:${harness.server.port}`,
      caPem: harness.server.credentials.caPem,
      token: harness.server.token,
    }),
    { mode: 0o600 },
  );
  const run = (args: readonly string[], stdin?: string): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        kubectl,
        ['--kubeconfig', kubeconfig, ...args],
        { cwd: dir, timeout: 60_000, env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  return {
    harness,
    dir,
    run,
    async ok(args, stdin) {
      const result = await run(args, stdin);
      if (result.code !== 0) {
        throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
      }
      return result.stdout;
    },
    file(name, text) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    async stop() {
      await harness.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
