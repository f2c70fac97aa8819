// The contexts of the user's kubeconfig files, for the target picker, read without
// @kubernetes/client-node (which is loaded only once a real context is used): KUBECONFIG's
// files (joined with the platform's path delimiter) merged as kubectl merges them, or else
// ~/.kube/config. A broken file is a problem that names the file and says why; it never hides
// the contexts of the other files. No 'vscode' here: tests run it under plain Node.
//
// Mirrors client-go's clientcmd loading rules (tools/clientcmd/loader.go): the files are read
// in order, empty and repeated entries skipped; a file that does not exist is skipped; for
// clusters, users and contexts the first file to set a name wins; current-context comes from
// the first file that sets it.
import { decodedValue } from '../core/manifest/decode';
import { parseManifestText } from '../core/manifest/base/parse';

/** One context, with what the picker shows of it. */
export interface KubeContextEntry {
  readonly name: string;
  /** The file that set this context first (the one kubectl uses). */
  readonly file: string;
  readonly cluster: string;
  readonly user: string;
  /** The context's namespace, or null when it sets none (kubectl then uses `default`). */
  readonly namespace: string | null;
  /** The server URL of the context's cluster, or null when no file names that cluster or its server. */
  readonly server: string | null;
  /** Why the context cannot be used as it stands (its cluster is missing), or null. */
  readonly problem: string | null;
}

/** A kubeconfig file that could not be read in full: which file, and why. */
export interface KubeconfigProblem {
  readonly file: string;
  readonly message: string;
  /** The whole file could not be read (kubectl would refuse to load it); else one entry of it was skipped. */
  readonly fatal: boolean;
}

export interface KubeconfigListing {
  /** The files read, in precedence order (those that do not exist left out). */
  readonly files: readonly string[];
  /** The files that read as kubeconfigs (those with a fatal problem left out): what a target loads. */
  readonly usableFiles: readonly string[];
  readonly contexts: readonly KubeContextEntry[];
  readonly currentContext: string | null;
  readonly problems: readonly KubeconfigProblem[];
}

/** Where the kubeconfig files are: KUBECONFIG's entries, or the default file. */
export interface KubeconfigLocation {
  /** The KUBECONFIG variable, or undefined when it is not set. */
  readonly kubeconfigVariable: string | undefined;
  readonly homeDirectory: string;
  /** The platform's path list delimiter (`:`, or `;` on Windows). */
  readonly delimiter: string;
  /** The platform's path separator (`/`, or `\` on Windows). */
  readonly separator: string;
}

/** The files kubectl would read, in precedence order. */
export function kubeconfigPaths(location: KubeconfigLocation): string[] {
  const variable = location.kubeconfigVariable;
  if (variable !== undefined && variable.trim() !== '') {
    const seen = new Set<string>();
    return variable.split(location.delimiter).filter((file) => {
      if (file === '' || seen.has(file)) return false;
      seen.add(file);
      return true;
    });
  }
  const home = location.homeDirectory.replace(/[\\/]+$/, '');
  return [[home, '.kube', 'config'].join(location.separator)];
}

/** Reads a file's text; throws an error with `code` ENOENT when there is none. */
export type ReadTextFile = (file: string) => string;

interface NamedEntries {
  readonly [name: string]: Readonly<Record<string, unknown>>;
}

interface FileEntries {
  readonly clusters: NamedEntries;
  readonly users: NamedEntries;
  readonly contexts: NamedEntries;
  readonly currentContext: string | null;
}

/** What a YAML value is, for messages: `a list`, `a string`, `a number`. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value === 'object' ? 'mapping' : typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A kubeconfig list (`clusters`, `users`, `contexts`): each item's name and its body (the
 * field named after the list in the singular). Items that are malformed are problems.
 */
function namedList(config: Record<string, unknown>, list: string, body: string, problems: string[]): NamedEntries {
  const value = config[list];
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) {
    problems.push(`${list}: expected a list, found ${kindOf(value)}`);
    return {};
  }
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  value.forEach((item: unknown, i) => {
    if (!isRecord(item) || typeof item.name !== 'string' || item.name === '') {
      problems.push(`${list}[${i}]: expected an entry with a name, found ${JSON.stringify(item)?.slice(0, 60)}`);
      return;
    }
    const inner = item[body];
    if (inner !== undefined && inner !== null && !isRecord(inner)) {
      problems.push(`${list}[${i}].${body}: expected a mapping, found ${kindOf(inner)}`);
      return;
    }
    // Within one file a repeated name keeps its first entry, as the merge across files does.
    if (!(item.name in out)) out[item.name] = isRecord(inner) ? inner : {};
  });
  return out;
}

function fileEntries(text: string, problems: string[]): FileEntries | undefined {
  const parsed = parseManifestText(text);
  const empty: FileEntries = { clusters: {}, users: {}, contexts: {}, currentContext: null };
  const document = parsed.documents[0];
  if (!document) return empty;
  const error = document.errors[0];
  if (error) {
    const { line, column } = parsed.lines.position(error.pos[0]);
    problems.push(`${line + 1}:${column + 1}: ${error.message.split('\n')[0]}`);
    return undefined;
  }
  const config = decodedValue(document);
  if (config === null || config === undefined) return empty;
  if (!isRecord(config)) {
    problems.push(`expected a kubeconfig (a mapping with clusters, users and contexts), found ${kindOf(config)}`);
    return undefined;
  }
  const current = config['current-context'];
  return {
    clusters: namedList(config, 'clusters', 'cluster', problems),
    users: namedList(config, 'users', 'user', problems),
    contexts: namedList(config, 'contexts', 'context', problems),
    currentContext: typeof current === 'string' && current !== '' ? current : null,
  };
}

function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
}

/** The contexts of the files, merged in order: the first file to set a name wins. */
export function listKubeconfigContexts(files: readonly string[], read: ReadTextFile): KubeconfigListing {
  const clusters = new Map<string, Readonly<Record<string, unknown>>>();
  const users = new Set<string>();
  const contexts = new Map<string, { file: string; body: Readonly<Record<string, unknown>> }>();
  const problems: KubeconfigProblem[] = [];
  const present: string[] = [];
  const usable: string[] = [];
  let currentContext: string | null = null;
  for (const file of files) {
    let text: string;
    try {
      text = read(file);
    } catch (error) {
      // kubectl skips a file that does not exist; any other failure is worth saying.
      if (errorCode(error) === 'ENOENT') continue;
      present.push(file);
      const message = `cannot read it: ${error instanceof Error ? error.message : String(error)}`;
      problems.push({ file, message, fatal: true });
      continue;
    }
    present.push(file);
    const found: string[] = [];
    const entries = fileEntries(text, found);
    for (const message of found) problems.push({ file, message, fatal: entries === undefined });
    if (!entries) continue;
    usable.push(file);
    for (const [name, body] of Object.entries(entries.clusters)) if (!clusters.has(name)) clusters.set(name, body);
    for (const name of Object.keys(entries.users)) users.add(name);
    for (const [name, body] of Object.entries(entries.contexts))
      if (!contexts.has(name)) contexts.set(name, { file, body });
    currentContext ??= entries.currentContext;
  }
  const listed = [...contexts.entries()].map(([name, { file, body }]): KubeContextEntry => {
    const cluster = typeof body.cluster === 'string' ? body.cluster : '';
    const user = typeof body.user === 'string' ? body.user : '';
    const namespace = typeof body.namespace === 'string' && body.namespace !== '' ? body.namespace : null;
    const clusterBody = clusters.get(cluster);
    const server = typeof clusterBody?.server === 'string' && clusterBody.server !== '' ? clusterBody.server : null;
    // The texts kubectl gives when such a context is used (clientcmd's validateContext).
    const problem =
      cluster === ''
        ? `cluster was not specified for context "${name}"`
        : clusterBody === undefined
          ? `cluster "${cluster}" was not found for context "${name}"`
          : server === null
            ? `no server found for cluster "${cluster}"`
            : user === ''
              ? `user was not specified for context "${name}"`
              : !users.has(user)
                ? `user "${user}" was not found for context "${name}"`
                : null;
    return { name, file, cluster, user, namespace, server, problem };
  });
  return { files: present, usableFiles: usable, contexts: listed, currentContext, problems };
}
