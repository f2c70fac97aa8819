// The command line of `podtrace trace`: its help, its options and their checks. A value
// out of range is a usage error here, before any file is read.
import {
  defaultKubernetesVersion,
  isSupportedKubernetesVersion,
  supportedKubernetesVersions,
  type KubernetesVersion,
} from '../core/base/kubernetesVersion';
import { parseDuration } from '../core/sim/scenario/scenario';
import { otlpEpochMs } from '../core/trace/otlpTrace';
import {
  defaultTraceLimits,
  traceLimitCeilings,
  type TraceLimitName,
  type TraceLimits,
} from '../core/trace/traceLimits';
import { UsageError } from './usageError';

// Short names keep the help text's lines within 120 columns.
const maxPods = defaultTraceLimits.maxPods;
const versions = supportedKubernetesVersions.join(', ');

export const traceHelp = `Usage: podtrace trace [options] <files or folders…>

Applies the manifests to a fresh simulated cluster, runs it in virtual time and prints
a timeline of what the apiserver, controllers, scheduler, kubelets and endpoint
consumers did, and for every pod when it was scheduled, running, ready and routable.

Options:
  --seed N                 random seed for timings, names and uids (default 1)
  --profile NAME|FILE      latency profile: "default" or a JSON file overriding it
  --scenario FILE          a YAML file of timed actions (apply, delete, setImage, scale,
                           addNode, failNode, recoverNode, drain, uncordon, cutWatch, failProbe, ...)
  --nodes N                number of simulated nodes (default 3; Node objects in the input replace them)
  --until SECONDS          run exactly this long in virtual time (default: until quiescent, at most 900 s)
  --max-pods N             stop with an error if the run creates more than N pods (default ${maxPods})
  --max-nodes N            refuse a run with more than N nodes, from --nodes, Node objects
                           or addNode actions (default ${defaultTraceLimits.maxNodes})
  --max-events N           stop with an error if the trace records more than N events
                           (default ${defaultTraceLimits.maxEvents})
  --max-time SECONDS       refuse an --until longer than this (default ${defaultTraceLimits.maxTimeMs / 1000})
  --json FILE              write the trace as JSON (events, pods, routing windows)
  --perfetto FILE          write Chrome trace event JSON for Perfetto
  --otlp FILE              write OTLP JSON Lines for Jaeger: a line per trace, one trace per
                           object nothing owns (a Deployment with its ReplicaSets and pods);
                           virtual time 0 is ${new Date(otlpEpochMs).toISOString()}
  --report FILE            write a self-contained HTML report: the timeline app with the
                           trace inlined, which opens offline in any browser
  --kubernetes-version V   the simulated version (${versions}; default ${defaultKubernetesVersion})
  --quiet                  print only the summary line
  -h, --help               print this help

The manifests are validated first; warnings are printed and the trace goes on, errors are
printed and nothing is applied. A run that would pass one of the --max limits stops with
a message naming the limit and what reached it, and writes no output file. Exit status: 0
when traced, 1 when the manifests have errors, 2 for a usage error, a file that cannot be
read, a scenario action that cannot be carried out or a limit reached (70 is a bug in
podtrace: please report it). After '--' every argument is a file.
`;

export interface TraceArgs {
  seed: number;
  profile: string;
  scenario?: string;
  nodes: number;
  nodesGiven: boolean;
  untilMs?: number;
  json?: string;
  perfetto?: string;
  otlp?: string;
  report?: string;
  version: KubernetesVersion;
  inputs: string[];
  help: boolean;
  quiet: boolean;
  limits: { -readonly [K in keyof TraceLimits]: TraceLimits[K] };
}

export function parseTraceArgs(argv: readonly string[]): TraceArgs {
  const args: TraceArgs = {
    seed: 1,
    profile: 'default',
    nodes: 3,
    nodesGiven: false,
    version: defaultKubernetesVersion,
    inputs: [],
    help: false,
    quiet: false,
    limits: { ...defaultTraceLimits },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      // `--json=` (a variable that expanded to nothing) is a mistake, not a request for no file.
      if (v === '') throw new UsageError(`${flag} needs a value, got an empty one`);
      return v;
    };
    const integer = (v: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
      if (!/^\d+$/.test(v) || Number(v) < min)
        throw new UsageError(`${flag}: expected an integer ≥ ${min}, got "${v}"`);
      if (Number(v) > max) throw new UsageError(`${flag}: expected an integer of at most ${max}, got "${v}"`);
      return Number(v);
    };
    const seconds = (v: string): number => {
      try {
        return parseDuration(/^\d+(\.\d+)?$/.test(v) ? Number(v) : v, flag);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    };
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      // The end of the options, as getopt has it: what follows are files, even a name starting with '-'.
      case '--':
        args.inputs.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      case '--quiet':
        args.quiet = true;
        break;
      case '--seed':
        args.seed = integer(value(), 0);
        break;
      case '--profile':
        args.profile = value();
        break;
      case '--scenario':
        args.scenario = value();
        break;
      case '--nodes':
        args.nodes = integer(value(), 0);
        args.nodesGiven = true;
        break;
      case '--until':
        args.untilMs = seconds(value());
        break;
      case '--max-pods':
        args.limits.maxPods = integer(value(), 1, traceLimitCeilings.maxPods);
        break;
      case '--max-nodes':
        args.limits.maxNodes = integer(value(), 1, traceLimitCeilings.maxNodes);
        break;
      case '--max-events':
        args.limits.maxEvents = integer(value(), 1, traceLimitCeilings.maxEvents);
        break;
      case '--max-time': {
        args.limits.maxTimeMs = seconds(value());
        if (args.limits.maxTimeMs === 0) throw new UsageError('--max-time: expected a duration above 0');
        if (args.limits.maxTimeMs > traceLimitCeilings.maxTimeMs)
          throw new UsageError(
            `--max-time: expected at most ${traceLimitCeilings.maxTimeMs / 1000} s, ` +
              `got ${args.limits.maxTimeMs / 1000} s`,
          );
        break;
      }
      case '--json':
        args.json = value();
        break;
      case '--perfetto':
        args.perfetto = value();
        break;
      case '--otlp':
        args.otlp = value();
        break;
      case '--report':
        args.report = value();
        break;
      case '--kubernetes-version': {
        const v = value().replace(/^v/, '');
        if (!isSupportedKubernetesVersion(v))
          throw new UsageError(
            `--kubernetes-version: expected one of ${supportedKubernetesVersions.join(', ')}, got "${v}"`,
          );
        args.version = v;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        args.inputs.push(arg);
    }
  }
  return args;
}

/** The option that sets each limit, for the message of a run that reached it. */
export const limitFlags: Record<TraceLimitName, string> = {
  pods: '--max-pods',
  nodes: '--max-nodes',
  events: '--max-events',
  time: '--max-time',
};
