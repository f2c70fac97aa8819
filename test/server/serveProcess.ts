// Runs the built CLI's `podtrace serve` as a process for a test: waits for the line that names
// the URL and the kubeconfig, keeps its output, and stops it with a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
export const cliPath = path.join(repoRoot, 'dist/cli.js');

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly kubeconfig: string;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code (null when killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startServe(args: readonly string[], timeoutMs = 30_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`podtrace serve did not start within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    let started = false;
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`podtrace serve exited with ${code} before it started; stderr: ${err}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const url = /on (https:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      const kubeconfig = /kubeconfig: (\S+) \(context podtrace-sim\)/.exec(out)?.[1];
      if (!url || !kubeconfig || !out.includes('Press Ctrl+C')) return;
      if (started) return;
      started = true;
      clearTimeout(timer);
      resolve({
        child,
        url,
        kubeconfig,
        stdout: () => out,
        stderr: () => err,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
