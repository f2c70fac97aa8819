// The command line of `podtrace serve`: its help, its options and their checks.
import {
  defaultKubernetesVersion,
  isSupportedKubernetesVersion,
  supportedKubernetesVersions,
  type KubernetesVersion,
} from '../core/base/kubernetesVersion';
import { UsageError } from './usageError';

const versions = supportedKubernetesVersions.join(', ');

export const serveHelp = `Usage: podtrace serve [options]

Runs a simulated cluster as a Kubernetes API server on https://127.0.0.1 (a certificate
made at start, a random bearer token) and writes a kubeconfig for it with the context
podtrace-sim, so kubectl, client libraries and the podtrace extension can use it. The
simulator runs paced: clients see pods progress. Ctrl+C (SIGINT) or SIGTERM stops it.

Options:
  --port N                 the port on 127.0.0.1 (default 0: a free one, printed at start)
  --kubeconfig FILE        merge the podtrace-sim cluster, user and context into FILE, keeping
                           everything else in it (a copy is kept as FILE.podtrace-backup);
                           default: a new file in a temporary folder, removed at stop
  --nodes N                number of simulated nodes (default 3)
  --profile NAME|FILE      latency profile: "default" or a JSON file overriding it
  --speed X                virtual milliseconds per wall millisecond (default 1: real time)
  --seed N                 random seed for timings, names and uids (default 1)
  --kubernetes-version V   the simulated version (${versions}; default ${defaultKubernetesVersion})
  --verbose                print one line per request to standard error (never the token)
  -h, --help               print this help

Exit status: 0 when stopped by a signal, 2 for a usage error or a port that cannot be used.
`;

export interface ServeArgs {
  port: number;
  kubeconfig?: string;
  nodes: number;
  profile: string;
  speed: number;
  seed: number;
  version: KubernetesVersion;
  verbose: boolean;
  help: boolean;
}

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = {
    port: 0,
    nodes: 3,
    profile: 'default',
    speed: 1,
    seed: 1,
    version: defaultKubernetesVersion,
    verbose: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      if (v === '') throw new UsageError(`${flag} needs a value, got an empty one`);
      return v;
    };
    const integer = (v: string, min: number, max: number): number => {
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
        throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got "${v}"`);
      return Number(v);
    };
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--verbose':
        args.verbose = true;
        break;
      case '--port':
        args.port = integer(value(), 0, 65535);
        break;
      case '--kubeconfig':
        args.kubeconfig = value();
        break;
      case '--nodes':
        args.nodes = integer(value(), 1, 5000);
        break;
      case '--profile':
        args.profile = value();
        break;
      case '--seed':
        args.seed = integer(value(), 0, Number.MAX_SAFE_INTEGER);
        break;
      case '--speed': {
        const v = value();
        const speed = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(speed > 0) || speed > 100_000)
          throw new UsageError(`--speed: expected a number above 0 and at most 100000, got "${v}"`);
        args.speed = speed;
        break;
      }
      case '--kubernetes-version': {
        const v = value().replace(/^v/, '');
        if (!isSupportedKubernetesVersion(v))
          throw new UsageError(`--kubernetes-version: expected one of ${versions}, got "${v}"`);
        args.version = v;
        break;
      }
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `serve takes no arguments, got "${arg}"`);
    }
  }
  return args;
}
