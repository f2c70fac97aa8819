import { hasErrors } from '../core/base/finding';
import { findingHelpUri } from '../core/manifest/findingCodes';
import {
  defaultKubernetesVersion,
  isSupportedKubernetesVersion,
  supportedKubernetesVersions,
  type KubernetesVersion,
} from '../core/base/kubernetesVersion';
import { printableText } from '../core/base/printableText';
import { formatJson, formatSarif, formatText, type FileFindings } from './findingFormats';
import { InputError, noManifestFiles, readInputs } from './inputFiles';
import { readStandardInput } from './standardInput';
import { UsageError } from './usageError';
import { podtraceVersion } from './version';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => string;
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
const mainHelp = `podtrace: validate Kubernetes manifests and trace what a cluster does with them

Usage:
  podtrace validate [options] <files or folders…>   check manifests (YAML, schema, apiserver rules)
  podtrace trace [options] <files or folders…>      simulate a cluster applying them and print the timeline
  podtrace serve [options]                          serve a simulated cluster as a Kubernetes API for kubectl
  podtrace --version                                print the version
  podtrace --help                                   print this help

Run 'podtrace <command> --help' for a command's options.
`;

type ValidationEngine = typeof import('../core/manifest/validate');
let loadedEngine: ValidationEngine | undefined;

/**
 * The validation engine (the YAML parser, and the schemas and rules as they land), loaded
 * on first use: `--version` and `--help` start without it, and nothing heavy runs at
 * import time. esbuild keeps a require() of a bundled module lazy.
 */
function engine(): ValidationEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; an import would load it at start.
  loadedEngine ??= require('../core/manifest/validate') as ValidationEngine;
  return loadedEngine;
}

const validateHelp = (): string => {
  // A short name keeps the help text's lines within 120 columns.
  const versions = supportedKubernetesVersions.join(', ');
  return `Usage: podtrace validate [options] <files or folders…>

Checks Kubernetes manifests the way kubectl and the apiserver would and prints one
finding per line as file:line:col: severity code message.
Folders give every .yaml, .yml and .json file inside (symbolic links followed); '-' reads
standard input; after '--' every argument is a file, even one whose name starts with '-'.

Options:
  --kubernetes-version V   the Kubernetes version to check against (${versions}; default ${defaultKubernetesVersion})
  --format F               text (default), json or sarif
  -h, --help               print this help

Exit status: 0 when no errors were found, 1 when at least one error was found,
2 for a usage error or a file that cannot be read (70 is a bug in podtrace: please report it).
`;
};

interface ValidateArgs {
  kubernetesVersion: KubernetesVersion;
  format: 'text' | 'json' | 'sarif';
  inputs: string[];
  help: boolean;
}

function parseValidateArgs(argv: readonly string[]): ValidateArgs {
  const args: ValidateArgs = { kubernetesVersion: defaultKubernetesVersion, format: 'text', inputs: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      if (v === '') throw new UsageError(`${flag} needs a value, got an empty one`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--':
        // The end of the options, as getopt has it: what follows are files, even a name starting with '-'.
        args.inputs.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      case '--kubernetes-version': {
        const v = value().replace(/^v/, '');
        if (!isSupportedKubernetesVersion(v))
          throw new UsageError(
            `--kubernetes-version: expected one of ${supportedKubernetesVersions.join(', ')}, got "${v}"`,
          );
        args.kubernetesVersion = v;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif')
          throw new UsageError(`--format: expected text, json or sarif, got "${v}"`);
        args.format = v;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        args.inputs.push(arg);
    }
  }
  return args;
}

function runValidate(argv: readonly string[], io: CliIo): number {
  const args = parseValidateArgs(argv);
  if (args.help) {
    io.stdout(validateHelp());
    return 0;
  }
  if (args.inputs.length === 0)
    throw new UsageError('validate needs at least one file or folder (or - for standard input)');
  const inputs = readInputs(args.inputs, io.readStdin);
  // As kubectl's "no objects passed to apply": a folder with nothing to check is a wrong path, not a pass.
  if (inputs.length === 0) throw new InputError(`nothing to validate: ${noManifestFiles(args.inputs)}`);
  // The inputs are validated as one set: a CRD in one file teaches its kind to the others.
  const perFile = engine().validateManifestTexts(inputs, { kubernetesVersion: args.kubernetesVersion });
  const results: FileFindings[] = inputs.map((input, i) => ({ file: input.name, findings: perFile[i] }));
  const output =
    args.format === 'json'
      ? formatJson(results)
      : args.format === 'sarif'
        ? formatSarif(results, podtraceVersion(), findingHelpUri)
        : formatText(results);
  io.stdout(output);
  return results.some((r) => hasErrors(r.findings)) ? 1 : 0;
}

/** Runs the CLI with the given arguments; returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(mainHelp);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
      case 'version':
        io.stdout(`podtrace ${podtraceVersion()}\n`);
        return 0;
      case 'validate':
        return runValidate(rest, io);
      case 'trace':
        // The simulator is loaded only for `trace`, as the validation engine is for `validate`.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, as above.
        return (require('./traceCommand') as typeof import('./traceCommand')).runTrace(rest, io);
      case 'serve':
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, as above.
        return (require('./serveCommand') as typeof import('./serveCommand')).runServe(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // Messages quote file names and arguments, which can hold control characters too.
    if (error instanceof UsageError) {
      io.stderr(`podtrace: ${printableText(error.message)}\nRun 'podtrace --help' for usage.\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr(`podtrace: ${printableText(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readStandardInput(),
  };
}
