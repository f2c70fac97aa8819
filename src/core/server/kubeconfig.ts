// The kubeconfig `podtrace serve` writes: a cluster, a user and a context, all named
// `podtrace-sim`, with the CA as certificate-authority-data and the bearer token. Written to a
// new file, or merged into an existing one (its other clusters, users and contexts, its
// current-context and comments kept) after a backup next to it. Mode 0600: it holds a token.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';

export const contextName = 'podtrace-sim';

export interface KubeconfigEntry {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
}

export interface WrittenKubeconfig {
  readonly path: string;
  /** The copy of the file as it was before the merge, if there was a file. */
  readonly backup?: string;
}

function entries(entry: KubeconfigEntry) {
  return {
    cluster: {
      name: contextName,
      cluster: {
        server: entry.server,
        'certificate-authority-data': Buffer.from(entry.caPem, 'utf8').toString('base64'),
      },
    },
    user: { name: contextName, user: { token: entry.token } },
    context: { name: contextName, context: { cluster: contextName, user: contextName } },
  };
}

/** A new kubeconfig with only podtrace-sim, and it as the current context. */
export function kubeconfigText(entry: KubeconfigEntry): string {
  const e = entries(entry);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [e.cluster],
    users: [e.user],
    contexts: [e.context],
    'current-context': contextName,
    preferences: {},
  });
}

/** Replaces the entry named podtrace-sim in the list `key` of `doc`, or appends one. */
function upsert(doc: Document, key: string, value: { name: string }, where: string): void {
  const list = doc.get(key);
  if (list === undefined || list === null) {
    doc.set(key, doc.createNode([value]));
    return;
  }
  if (!isSeq(list)) throw new Error(`${where}: expected "${key}" to be a list, found ${typeof list}`);
  const at = list.items.findIndex((item) => isMap(item) && item.get('name') === value.name);
  const node = doc.createNode(value);
  if (at >= 0) list.items[at] = node;
  else list.items.push(node);
}

/** The text of `existing` with podtrace-sim added or replaced, and nothing else changed. */
export function mergedKubeconfigText(existing: string, entry: KubeconfigEntry, where: string): string {
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) throw new Error(`${where}: not a readable kubeconfig: ${doc.errors[0].message}`);
  // An empty file is a kubeconfig with nothing in it yet.
  if (doc.contents === null) return kubeconfigText(entry);
  if (!isMap(doc.contents)) throw new Error(`${where}: expected a kubeconfig (a YAML mapping), found something else`);
  const e = entries(entry);
  upsert(doc, 'clusters', e.cluster, where);
  upsert(doc, 'users', e.user, where);
  upsert(doc, 'contexts', e.context, where);
  if (!doc.get('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.get('kind')) doc.set('kind', 'Config');
  if (!doc.get('current-context')) doc.set('current-context', contextName);
  return doc.toString();
}

/**
 * Writes `file`: merged into it when it exists (after copying it to `<file>.podtrace-backup`),
 * a new file otherwise. Written to a temporary file and renamed, so a reader never sees half.
 */
export function writeKubeconfig(file: string, entry: KubeconfigEntry): WrittenKubeconfig {
  const target = path.resolve(file);
  let text: string;
  let backup: string | undefined;
  if (fs.existsSync(target)) {
    const existing = fs.readFileSync(target, 'utf8');
    text = mergedKubeconfigText(existing, entry, target);
    backup = `${target}.podtrace-backup`;
    fs.copyFileSync(target, backup);
    fs.chmodSync(backup, 0o600);
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    text = kubeconfigText(entry);
  }
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, target);
  return { path: target, backup };
}
