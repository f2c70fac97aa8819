// `podtrace serve`: starts the simulated cluster's HTTPS API, writes the kubeconfig, prints how
// to use it (never the token) and runs until SIGINT or SIGTERM, which end every watch, close
// every connection and exit 0.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printableText } from '../core/base/printableText';
import { contextName, writeKubeconfig } from '../core/server/kubeconfig';
import { PodtraceServer } from '../core/server/podtraceServer';
import { parseServeArgs, serveHelp } from './serveArgs';
import { loadProfile } from './traceCommand';

/** Where serve writes: its standard output and error (a subset of the CLI's io, so that main.ts stays a root). */
export interface ServeIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Starts the server; returns at once (the server keeps the process alive). The status is set at stop. */
export function runServe(argv: readonly string[], io: ServeIo): number {
  const args = parseServeArgs(argv);
  if (args.help) {
    io.stdout(serveHelp);
    return 0;
  }
  const profile = loadProfile(args.profile);
  void start(args, profile, io);
  return 0;
}

async function start(
  args: ReturnType<typeof parseServeArgs>,
  profile: ReturnType<typeof loadProfile>,
  io: ServeIo,
): Promise<void> {
  let server: PodtraceServer;
  try {
    server = await PodtraceServer.start({
      port: args.port,
      nodes: args.nodes,
      seed: args.seed,
      speed: args.speed,
      version: args.version,
      profile,
      log: args.verbose ? (line) => io.stderr(`${printableText(line)}\n`) : undefined,
    });
  } catch (error) {
    io.stderr(`podtrace: ${printableText((error as Error).message)}\n`);
    process.exitCode = 2;
    return;
  }
  const temporary =
    args.kubeconfig === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-serve-')) : undefined;
  const file = args.kubeconfig ?? path.join(temporary!, 'kubeconfig');
  let written;
  try {
    written = writeKubeconfig(file, { server: server.url, caPem: server.credentials.caPem, token: server.token });
  } catch (error) {
    io.stderr(`podtrace: cannot write the kubeconfig ${file}: ${printableText((error as Error).message)}\n`);
    await server.stop();
    process.exitCode = 2;
    return;
  }
  const quoted = /^[\w./-]+$/.test(written.path) ? written.path : `'${written.path.replace(/'/g, `'\\''`)}'`;
  const context = args.kubeconfig === undefined ? '' : ` --context ${contextName}`;
  const nodes = `${args.nodes} node${args.nodes === 1 ? '' : 's'}`;
  io.stdout(
    `podtrace serve: a simulated Kubernetes ${args.version} cluster (${nodes}, seed ${args.seed}, ` +
      `speed ${args.speed}) on ${server.url}\n` +
      `kubeconfig: ${written.path} (context ${contextName})` +
      (written.backup ? `; the file as it was is kept as ${written.backup}` : '') +
      `\n\n  kubectl --kubeconfig ${quoted}${context} get pods\n\nPress Ctrl+C to stop.\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    io.stderr(`podtrace serve: ${signal}: stopping\n`);
    void server.stop().then(() => {
      if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
