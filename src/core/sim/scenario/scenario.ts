// Scenarios: a YAML file of timed actions in virtual time (STYLE habit 5: behaviour as
// data). Each action is one key naming what happens, plus `at` (seconds or "90s", "2m").
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Node } from 'yaml';
import { fileProblem } from '../../base/fileProblem';

/* eslint-disable @typescript-eslint/no-explicit-any -- actions carry loosely typed objects. */

export interface ObjectTarget {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/**
 * The text of what an `apply` brings, for the validation layers to check as they check the
 * input files: a file's own text (`file`, relative to the scenario); an inline manifest's text
 * placed at its lines and columns in the scenario (`inline`: findings point into the scenario);
 * or manifest text given as a string whose lines cannot be placed there (`text`: findings count
 * lines from its start).
 */
export type ScenarioManifest =
  | { readonly kind: 'file'; readonly file: string; readonly text: string }
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'text'; readonly action: number; readonly text: string };

export type ScenarioAction =
  | { readonly type: 'apply'; readonly at: number; readonly objects: readonly any[]; readonly manifest: ScenarioManifest }
  | { readonly type: 'delete'; readonly at: number; readonly target: ObjectTarget; readonly gracePeriodSeconds?: number; readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }
  | { readonly type: 'patch'; readonly at: number; readonly target: ObjectTarget; readonly merge: any }
  | { readonly type: 'setImage'; readonly at: number; readonly target: ObjectTarget; readonly container?: string; readonly image: string }
  | { readonly type: 'scale'; readonly at: number; readonly target: ObjectTarget; readonly replicas: number }
  | { readonly type: 'addNode'; readonly at: number; readonly name?: string; readonly cpu?: string; readonly memory?: string; readonly pods?: number; readonly labels?: Record<string, string> }
  | { readonly type: 'failNode'; readonly at: number; readonly node: string }
  | { readonly type: 'recoverNode'; readonly at: number; readonly node: string }
  | { readonly type: 'drain'; readonly at: number; readonly node: string; readonly ignoreDaemonSets: boolean; readonly force: boolean; readonly deleteEmptyDirData: boolean }
  | { readonly type: 'cordon'; readonly at: number; readonly node: string }
  | { readonly type: 'uncordon'; readonly at: number; readonly node: string }
  | { readonly type: 'cutWatch'; readonly at: number; readonly consumer: string; readonly forMs?: number }
  | { readonly type: 'failProbe'; readonly at: number; readonly pod: string; readonly namespace: string; readonly container?: string; readonly forMs?: number }
  | { readonly type: 'missingImage'; readonly at: number; readonly image: string };

export class ScenarioError extends Error {}

/** `90`, `"90s"`, `"1.5m"`, `"250ms"` → milliseconds. */
export function parseDuration(value: unknown, where: string): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(value ?? ''));
  if (!match) throw new ScenarioError(`${where}: expected a duration such as 30, "30s", "2m" or "500ms", got ${JSON.stringify(value)}`);
  const n = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000);
}

function target(value: any, where: string): ObjectTarget {
  if (!value || typeof value.kind !== 'string' || typeof value.name !== 'string') throw new ScenarioError(`${where}: expected {kind, name, namespace?}, got ${JSON.stringify(value)}`);
  return { kind: value.kind, name: value.name, namespace: value.namespace };
}

/** Parses a scenario; `readFile` resolves `apply: {file: ...}` relative to the scenario. */
export function parseScenario(text: string, readFile: (path: string) => string): ScenarioAction[] {
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) throw new ScenarioError(`scenario: not valid YAML: ${error.message.split('\n')[0]}`);
  const doc: any = document.toJS();
  const list: any[] = Array.isArray(doc) ? doc : doc?.actions;
  if (!Array.isArray(list)) throw new ScenarioError('scenario: expected a list of actions, or {actions: [...]}');
  const nodes = isSeq(document.contents) ? document.contents : isMap(document.contents) ? document.contents.get('actions', true) : undefined;
  return list.map((raw, i) => {
    const where = `scenario action ${i + 1}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ScenarioError(`${where}: expected a mapping with "at" and one action, such as {at: 30s, scale: {name: web, replicas: 5}}; got ${JSON.stringify(raw) ?? String(raw)}`);
    const at = parseDuration(raw.at ?? 0, `${where}: at`);
    const forMs = raw.for !== undefined ? parseDuration(raw.for, `${where}: for`) : undefined;
    if (raw.apply !== undefined) {
      const node = isSeq(nodes) && isMap(nodes.items[i]) ? (nodes.items[i] as any).get('apply', true) : undefined;
      return { type: 'apply', at, ...applied(raw.apply, i + 1, `${where}: apply`, readFile, text, node) };
    }
    if (raw.delete !== undefined) return { type: 'delete', at, target: target(raw.delete, where), gracePeriodSeconds: raw.delete.gracePeriodSeconds, propagationPolicy: raw.delete.propagationPolicy };
    if (raw.patch !== undefined) return { type: 'patch', at, target: target(raw.patch, where), merge: raw.patch.merge ?? {} };
    if (raw.setImage !== undefined) return { type: 'setImage', at, target: target({ kind: 'Deployment', ...raw.setImage }, where), container: raw.setImage.container, image: String(raw.setImage.image) };
    if (raw.scale !== undefined) return { type: 'scale', at, target: target({ kind: 'Deployment', ...raw.scale }, where), replicas: Number(raw.scale.replicas) };
    if (raw.addNode !== undefined) return { type: 'addNode', at, ...(typeof raw.addNode === 'object' ? raw.addNode : { name: raw.addNode }) };
    if (raw.failNode !== undefined) return { type: 'failNode', at, node: String(raw.failNode) };
    if (raw.recoverNode !== undefined) return { type: 'recoverNode', at, node: String(raw.recoverNode) };
    if (raw.drain !== undefined) {
      const d = typeof raw.drain === 'object' && raw.drain !== null ? raw.drain : { node: raw.drain };
      if (typeof d.node !== 'string' || d.node === '') throw new ScenarioError(`${where}: drain: expected a node name, or {node: NAME, ignoreDaemonSets?, force?, deleteEmptyDirData?}; got ${JSON.stringify(raw.drain)}`);
      return { type: 'drain', at, node: d.node, ignoreDaemonSets: d.ignoreDaemonSets !== false, force: d.force === true, deleteEmptyDirData: d.deleteEmptyDirData === true };
    }
    if (raw.cordon !== undefined) return { type: 'cordon', at, node: String(raw.cordon) };
    if (raw.uncordon !== undefined) return { type: 'uncordon', at, node: String(raw.uncordon) };
    if (raw.cutWatch !== undefined) return { type: 'cutWatch', at, consumer: String(raw.cutWatch.consumer ?? raw.cutWatch), forMs };
    if (raw.failProbe !== undefined) return { type: 'failProbe', at, pod: String(raw.failProbe.pod), namespace: raw.failProbe.namespace ?? 'default', container: raw.failProbe.container, forMs };
    if (raw.missingImage !== undefined) return { type: 'missingImage', at, image: String(raw.missingImage) };
    throw new ScenarioError(`${where}: unknown action; expected one of apply, delete, patch, setImage, scale, addNode, failNode, recoverNode, drain, cordon, uncordon, cutWatch, failProbe, missingImage`);
  });
}

/** What `apply:` names (an inline manifest, manifest text, or `{file: path}` relative to the scenario): its objects and its text. */
function applied(apply: unknown, action: number, where: string, readFile: (path: string) => string, scenario: string, node: Node | undefined): { objects: any[]; manifest: ScenarioManifest } {
  if (typeof apply === 'string') return { objects: parseAllObjects(apply, where), manifest: placedText(apply, action, scenario, node) };
  if (apply === null || typeof apply !== 'object' || Array.isArray(apply)) throw new ScenarioError(`${where}: expected a manifest, manifest text or {file: path}; got ${JSON.stringify(apply)}`);
  const file = (apply as { file?: unknown }).file;
  if (file === undefined) {
    const objects = objectsOf(apply, where);
    const range = node?.range;
    return { objects, manifest: range ? { kind: 'inline', text: placed(scenario, range[0], range[1]) } : { kind: 'text', action, text: JSON.stringify(apply, null, 2) } };
  }
  if (typeof file !== 'string') throw new ScenarioError(`${where}: file: expected a path; got ${JSON.stringify(file)}`);
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new ScenarioError(`${where}: cannot read ${file}: ${fileProblem(error)}`);
  }
  return { objects: parseAllObjects(text, `${where}: ${file}`), manifest: { kind: 'file', file, text } };
}

/**
 * `source[start, end)` alone at its place: every line before it empty, its first line indented
 * to its column. Parsed, it is the same YAML (a mapping indented as a whole is still the
 * document's root), and every position in it is its position in `source`.
 */
function placed(source: string, start: number, end: number): string {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  return source.slice(0, lineStart).replace(/[^\n]/g, '') + ' '.repeat(start - lineStart) + source.slice(start, end);
}

/**
 * Manifest text given as a string: placed in the scenario when it is a literal block (`|`),
 * whose lines are the text's own lines indented, unless it has document markers (`---`
 * indented is no marker); else as the text itself.
 */
function placedText(text: string, action: number, scenario: string, node: Node | undefined): ScenarioManifest {
  if (isScalar(node) && node.type === 'BLOCK_LITERAL' && node.range && !/^\s*(---|\.\.\.)/m.test(text)) {
    const contentStart = scenario.indexOf('\n', node.range[0]) + 1;
    if (contentStart > 0 && contentStart <= node.range[1]) return { kind: 'inline', text: placed(scenario, contentStart, node.range[1]) };
  }
  return { kind: 'text', action, text };
}

/**
 * The objects of manifest text, Lists expanded. Text that does not parse, or a document that
 * is not an object with `apiVersion` and `kind`, is an error naming `where` and the document:
 * nothing the user wrote is dropped silently. Empty documents are skipped.
 */
export function parseAllObjects(text: string, where = 'manifest'): any[] {
  const objects: any[] = [];
  parseAllDocuments(text, { version: '1.1', merge: true }).forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) throw new ScenarioError(`${where}: document ${i + 1}: not valid YAML: ${error.message.split('\n')[0].replace(/:$/, '')}`);
    const o = doc.toJS();
    if (o !== null && o !== undefined) objects.push(...objectsOf(o, `${where}: document ${i + 1}`));
  });
  return objects;
}

/** A decoded manifest as objects to apply: itself, or a List's items. */
function objectsOf(o: any, where: string): any[] {
  if (typeof o !== 'object' || Array.isArray(o) || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') throw new ScenarioError(`${where}: expected a Kubernetes object with apiVersion and kind`);
  return o.kind === 'List' && Array.isArray(o.items) ? o.items : [o];
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: any = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
