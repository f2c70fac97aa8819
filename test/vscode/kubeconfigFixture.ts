// What the extension's connected-cluster tests give the VS Code they start: kubeconfig files
// in a temporary folder (a team file with two contexts, a broken one), listed in KUBECONFIG,
// and, once `podtrace serve` and the kubeconfig bundle are built, a `podtrace serve` on port 0
// that adds its context `podtrace-sim` in a third file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

export const teamKubeconfig = `apiVersion: v1
kind: Config
current-context: staging
clusters:
  - name: staging-cluster
    cluster:
      server: https://staging.podtrace.invalid:6443
  - name: dev-cluster
    cluster:
      server: https://dev.podtrace.invalid:6443
users:
  - name: alice
    user:
      token: staging-token
  - name: bob
    user:
      token: dev-token
contexts:
  - name: staging
    context: {cluster: staging-cluster, user: alice, namespace: web}
  - name: dev
    context: {cluster: dev-cluster, user: bob}
`;

export interface KubeconfigFixture {
  readonly dir: string;
  /** KUBECONFIG for the extension host: the team file, the broken file and serve's file, in that order. */
  readonly kubeconfigVariable: string;
  readonly serveFile: string;
  remove(): void;
}

export function writeKubeconfigFixture(): KubeconfigFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-kubeconfig-'));
  const team = path.join(dir, 'team-kubeconfig.yaml');
  const broken = path.join(dir, 'broken-kubeconfig.yaml');
  const serveFile = path.join(dir, 'serve-kubeconfig.yaml');
  fs.writeFileSync(team, teamKubeconfig, { mode: 0o600 });
  fs.writeFileSync(broken, 'clusters: [\n  - name: x\ncontexts: {\n', { mode: 0o600 });
  return {
    dir,
    kubeconfigVariable: [team, broken, serveFile].join(path.delimiter),
    serveFile,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Why `podtrace serve` through client-node cannot be tested yet, or undefined when it can. */
export function serveUnavailable(root: string): string | undefined {
  const cli = path.join(root, 'dist/cli.js');
  const help = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8', timeout: 20_000 });
  if (help.status !== 0)
    return `expected \`podtrace serve\` in ${cli}, it is not built yet (serve --help: ${help.status})`;
  const bundle = path.join(root, 'dist/kubeClient.js');
  if (!fs.existsSync(bundle)) return `expected the kubeconfig target's bundle at ${bundle}, it is not built yet`;
  return undefined;
}

export interface RunningServe {
  readonly context: string;
  stop(): Promise<void>;
}

/** Starts `podtrace serve` on port 0 writing its kubeconfig to `file`; resolves once it has written it. */
export async function startServe(root: string, file: string, timeoutMs: number): Promise<RunningServe> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'dist/cli.js'), 'serve', '--port', '0', '--kubeconfig', file, '--speed', '20'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  let output = '';
  try {
    const context = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`expected podtrace serve to write ${file} within ${timeoutMs} ms; it printed: ${output}`)),
        timeoutMs,
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /kubeconfig: .* \(context ([\w.-]+)\)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`podtrace serve exited (${code}) before it wrote ${file}: ${output}`));
      });
    });
    return { context, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface ServeCredentials {
  readonly server: string;
  readonly ca: string;
  readonly token: string;
}

function credentialsIn(file: string, context: string): ServeCredentials {
  const config = parse(fs.readFileSync(file, 'utf8')) as {
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users?: { name: string; user: { token: string } }[];
  };
  const entry = config.contexts?.find((c) => c.name === context)?.context;
  const cluster = config.clusters?.find((c) => c.name === entry?.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === entry?.user)?.user;
  if (!cluster || !user)
    throw new Error(
      `expected ${file} to hold context ${context} with its cluster and user, found ${JSON.stringify(entry)}`,
    );
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: user.token,
  };
}

/**
 * Why serve cannot take the extension's Apply yet (it answers server-side apply, a PATCH, with
 * 415 until PATCH is wired into its router), or undefined when it can: a dry-run apply of a
 * ConfigMap, as the kubeconfig target sends it.
 */
export async function serveCannotApply(file: string, context: string): Promise<string | undefined> {
  const { server, ca, token } = credentialsIn(file, context);
  const url = new URL('/api/v1/namespaces/default/configmaps/podtrace-probe', server);
  url.search = 'dryRun=All&fieldManager=podtrace';
  const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podtrace-probe\n';
  const status = await new Promise<number>((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: 'PATCH',
        ca,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/apply-patch+yaml' },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.once('error', reject);
    request.once('timeout', () => request.destroy(new Error(`expected an answer from ${url.origin} within 10 s`)));
    request.end(body);
  });
  if (status === 200 || status === 201) return undefined;
  return `expected podtrace serve to answer a server-side apply (PATCH) with 200 or 201, it answered ${status}`;
}
