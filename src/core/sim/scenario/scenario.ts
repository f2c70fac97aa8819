// Scenarios: a YAML file of timed actions in virtual time (STYLE habit 5: behaviour as
// data). Each action is one key naming what happens, plus `at` (seconds or "90s", "2m").
import type { KubeObject } from '../store/objects';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { fileProblem } from '../../base/fileProblem';
import { parseQuantityResult, quantitySign } from '../../base/quantity';
import { parseManifestText } from '../../manifest/base/parse';
import { ActionFields, maxInt32, ScenarioError, shown, type ActionOrigin } from './scenarioFields';

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

type ActionBody =
  | {
      readonly type: 'apply';
      readonly at: number;
      readonly objects: readonly KubeObject[];
      readonly manifest: ScenarioManifest;
    }
  | {
      readonly type: 'delete';
      readonly at: number;
      readonly target: ObjectTarget;
      readonly gracePeriodSeconds?: number;
      readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
    }
  | {
      readonly type: 'patch';
      readonly at: number;
      readonly target: ObjectTarget;
      readonly merge: Readonly<Record<string, unknown>>;
    }
  | {
      readonly type: 'setImage';
      readonly at: number;
      readonly target: ObjectTarget;
      readonly container?: string;
      readonly image: string;
    }
  | { readonly type: 'scale'; readonly at: number; readonly target: ObjectTarget; readonly replicas: number }
  | {
      readonly type: 'addNode';
      readonly at: number;
      readonly name?: string;
      readonly cpu?: string;
      readonly memory?: string;
      readonly pods?: number;
      readonly labels?: Record<string, string>;
    }
  | { readonly type: 'failNode'; readonly at: number; readonly node: string }
  | { readonly type: 'recoverNode'; readonly at: number; readonly node: string }
  | {
      readonly type: 'drain';
      readonly at: number;
      readonly node: string;
      readonly ignoreDaemonSets: boolean;
      readonly force: boolean;
      readonly deleteEmptyDirData: boolean;
    }
  | { readonly type: 'cordon'; readonly at: number; readonly node: string }
  | { readonly type: 'uncordon'; readonly at: number; readonly node: string }
  | { readonly type: 'cutWatch'; readonly at: number; readonly consumer: string; readonly forMs?: number }
  | {
      readonly type: 'failProbe';
      readonly at: number;
      readonly pod: string;
      readonly namespace: string;
      readonly container?: string;
      readonly forMs?: number;
    }
  | { readonly type: 'missingImage'; readonly at: number; readonly image: string };

/** An action, with where it came from in a scenario file (actions built in code have none). */
export type ScenarioAction = ActionBody & { readonly origin?: ActionOrigin };

/** The most virtual time a duration may name: far past any run's limit, and exact in milliseconds. */
const maxDurationMs = 1e15;

/** `90`, `"90s"`, `"1.5m"`, `"250ms"` → milliseconds. */
export function parseDuration(value: unknown, where: string, line?: number): number {
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value) : null;
  const n = typeof value === 'number' ? value : match ? Number(match[1]) : NaN;
  const unit = match?.[2] ?? 's';
  const ms = Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000);
  if (ms > maxDurationMs && Number.isFinite(ms)) {
    throw new ScenarioError(
      `${where}: expected a duration of at most ${maxDurationMs / 1000} s, got ${shown(value)}`,
      line,
    );
  }
  if (!(ms >= 0 && ms <= maxDurationMs)) {
    throw new ScenarioError(
      `${where}: expected a duration such as 30, "30s", "2m" or "500ms", got ${shown(value)}`,
      line,
    );
  }
  return ms;
}

const actionNames =
  'apply, delete, patch, setImage, scale, addNode, failNode, recoverNode, ' +
  'drain, cordon, uncordon, cutWatch, failProbe, missingImage';

/**
 * Parses a scenario; `readFile` resolves `apply: {file: ...}` relative to the scenario. Every
 * field is checked for its type and range here, so that a scenario either runs as written or
 * is refused with the action, its line and the field.
 */
export function parseScenario(text: string, readFile: (path: string) => string): ScenarioAction[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, logLevel: 'error' });
  const error = document.errors[0];
  if (error) throw new ScenarioError(`not valid YAML: ${yamlProblem(error.message)}`, error.linePos?.[0].line);
  const doc = toJS(document, 'the scenario');
  const list = Array.isArray(doc) ? doc : fieldsOf(doc)?.actions;
  if (!Array.isArray(list)) throw new ScenarioError('expected a list of actions, or {actions: [...]}', 1);
  const nodes = isSeq(document.contents)
    ? document.contents
    : isMap(document.contents)
      ? document.contents.get('actions', true)
      : undefined;
  return list.map((raw: unknown, i) => {
    const node = isSeq(nodes) ? (nodes.items[i] as Node | undefined) : undefined;
    const origin = { action: i + 1, line: node?.range ? lines.linePos(node.range[0]).line : 1 };
    const fields = new ActionFields(origin, node, lines);
    return { ...action(raw, fields, node, readFile, text), origin };
  });
}

/**
 * The first line of the yaml package's error. Nesting deeper than its parser's recursion can
 * go surfaces as the engine's stack overflow; it is said as what it means.
 */
function yamlProblem(message: string): string {
  const first = message.split('\n')[0].replace(/:$/, '');
  return first.replace(
    /^Maximum call stack size exceeded/,
    'nested too deeply to read (collections inside collections)',
  );
}

/**
 * The document as plain data; an alias bomb (aliases that expand past yaml's maxAliasCount) is an error, not a hang.
 */
function toJS(document: Document.Parsed, what: string): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof ReferenceError)
      throw new ScenarioError(`${what}: ${error.message} (more than 100 aliases expanded)`);
    throw error;
  }
}

function action(
  value: unknown,
  fields: ActionFields,
  node: Node | undefined,
  readFile: (path: string) => string,
  text: string,
): ActionBody {
  const where = fields.where;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw fields.error(
      [],
      'a mapping with "at" and one action, such as {at: 30s, scale: {name: web, replicas: 5}}',
      value,
    );
  const raw = value as Fields;
  const at = parseDuration(raw.at ?? 0, `${where}: at`, fields.lineOf(['at']));
  const forMs = raw.for !== undefined ? parseDuration(raw.for, `${where}: for`, fields.lineOf(['for'])) : undefined;
  const target = (key: string, value: unknown, kind?: string): ObjectTarget => {
    const t = fields.mapping(value, [key], `{kind, name, namespace?}`);
    const found = kind !== undefined && t.kind === undefined ? kind : t.kind;
    return {
      kind: fields.name(found, [key, 'kind'], 'a kind such as Deployment'),
      name: fields.name(t.name, [key, 'name'], 'an object name'),
      namespace: fields.optionalString(t.namespace, [key, 'namespace'], 'a namespace name'),
    };
  };
  if (raw.apply !== undefined) {
    const applyNode = isMap(node) ? (node.get('apply', true) as Node | undefined) : undefined;
    try {
      return {
        type: 'apply',
        at,
        ...applied(raw.apply, fields.origin.action, `${where}: apply`, readFile, text, applyNode),
      };
    } catch (error) {
      if (error instanceof ScenarioError && error.line === undefined)
        throw new ScenarioError(error.message, fields.lineOf(['apply']));
      throw error;
    }
  }
  if (raw.delete !== undefined) {
    const policy = fieldsOf(raw.delete)?.propagationPolicy;
    if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan')
      throw fields.error(['delete', 'propagationPolicy'], 'Background, Foreground or Orphan', policy);
    const grace = fieldsOf(raw.delete)?.gracePeriodSeconds;
    return {
      type: 'delete',
      at,
      target: target('delete', raw.delete),
      gracePeriodSeconds:
        grace === undefined
          ? undefined
          : fields.integer(grace, ['delete', 'gracePeriodSeconds'], 0, Number.MAX_SAFE_INTEGER, 'seconds'),
      propagationPolicy: policy,
    };
  }
  if (raw.patch !== undefined) {
    const merge = fields.mapping(
      fieldsOf(raw.patch)?.merge,
      ['patch', 'merge'],
      'a mapping to merge into the object (a JSON merge patch)',
    );
    return { type: 'patch', at, target: target('patch', raw.patch), merge };
  }
  if (raw.setImage !== undefined) {
    const image = fields.name(fieldsOf(raw.setImage)?.image, ['setImage', 'image'], 'an image reference');
    const container = fields.optionalString(
      fieldsOf(raw.setImage)?.container,
      ['setImage', 'container'],
      'a container name',
    );
    return { type: 'setImage', at, target: target('setImage', raw.setImage, 'Deployment'), container, image };
  }
  if (raw.scale !== undefined) {
    const replicas = fields.integer(fieldsOf(raw.scale)?.replicas, ['scale', 'replicas'], 0, maxInt32, 'replicas');
    return { type: 'scale', at, target: target('scale', raw.scale, 'Deployment'), replicas };
  }
  if (raw.addNode !== undefined) return { type: 'addNode', at, ...addNode(raw.addNode, fields) };
  for (const type of ['failNode', 'recoverNode', 'cordon', 'uncordon'] as const) {
    if (raw[type] !== undefined) return { type, at, node: fields.name(raw[type], [type], 'a node name') };
  }
  if (raw.drain !== undefined) {
    const d = fieldsOf(raw.drain) ?? { node: raw.drain };
    if (typeof d.node !== 'string' || d.node === '')
      throw fields.error(
        ['drain'],
        'a node name, or {node: NAME, ignoreDaemonSets?, force?, deleteEmptyDirData?}',
        raw.drain,
      );
    return {
      type: 'drain',
      at,
      node: d.node,
      ignoreDaemonSets: d.ignoreDaemonSets !== false,
      force: d.force === true,
      deleteEmptyDirData: d.deleteEmptyDirData === true,
    };
  }
  if (raw.cutWatch !== undefined) {
    const watch = fieldsOf(raw.cutWatch);
    const consumer = watch ? watch.consumer : raw.cutWatch;
    return {
      type: 'cutWatch',
      at,
      consumer: fields.name(
        consumer,
        typeof raw.cutWatch === 'object' && raw.cutWatch !== null ? ['cutWatch', 'consumer'] : ['cutWatch'],
        'a consumer name such as kube-proxy, or {consumer: NAME}',
      ),
      forMs,
    };
  }
  if (raw.failProbe !== undefined) {
    const f = fields.mapping(raw.failProbe, ['failProbe'], '{pod: NAME or pattern with *, namespace?, container?}');
    return {
      type: 'failProbe',
      at,
      pod: fields.name(f.pod, ['failProbe', 'pod'], 'a pod name, or a pattern with *'),
      namespace: fields.optionalString(f.namespace, ['failProbe', 'namespace'], 'a namespace name') ?? 'default',
      container: fields.optionalString(f.container, ['failProbe', 'container'], 'a container name'),
      forMs,
    };
  }
  if (raw.missingImage !== undefined)
    return { type: 'missingImage', at, image: fields.name(raw.missingImage, ['missingImage'], 'an image reference') };
  throw fields.error(
    [],
    `one action: ${actionNames}`,
    Object.keys(raw)
      .filter((k) => k !== 'at' && k !== 'for')
      .join(', ') || 'only "at"',
  );
}

function addNode(
  value: unknown,
  fields: ActionFields,
): { name?: string; cpu?: string; memory?: string; pods?: number; labels?: Record<string, string> } {
  if (typeof value === 'string') return { name: fields.name(value, ['addNode'], 'a node name') };
  const n = fields.mapping(value, ['addNode'], 'a node name, or {name?, cpu?, memory?, pods?, labels?}');
  // A bare number is a quantity too (`cpu: 4`): kept as its text, for the node to read as one.
  // The text is read as the apiserver's decoder reads a node's capacity: one it cannot read, or
  // a negative one, would otherwise give the node nothing, silently.
  const quantity = (v: unknown, key: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    const what = 'a quantity such as "4" or "16Gi"';
    const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : fields.name(v, ['addNode', key], what);
    const parsed = parseQuantityResult(text);
    if (!parsed.ok) throw fields.error(['addNode', key], `${what} (${parsed.error})`, v);
    if (quantitySign(parsed.quantity) < 0) throw fields.error(['addNode', key], `${what}, not below 0`, v);
    return text;
  };
  return {
    name: fields.optionalString(n.name, ['addNode', 'name'], 'a node name'),
    cpu: quantity(n.cpu, 'cpu'),
    memory: quantity(n.memory, 'memory'),
    pods:
      n.pods === undefined || n.pods === null
        ? undefined
        : fields.integer(n.pods, ['addNode', 'pods'], 0, maxInt32, 'pods'),
    labels: fields.stringMap(n.labels, ['addNode', 'labels']),
  };
}

/**
 * What `apply:` names (an inline manifest, manifest text, or `{file:
 * path}` relative to the scenario): its objects and its text.
 */
function applied(
  apply: unknown,
  action: number,
  where: string,
  readFile: (path: string) => string,
  scenario: string,
  node: Node | undefined,
): { objects: KubeObject[]; manifest: ScenarioManifest } {
  if (typeof apply === 'string')
    return { objects: parseAllObjects(apply, where), manifest: placedText(apply, action, scenario, node) };
  if (apply === null || typeof apply !== 'object' || Array.isArray(apply))
    throw new ScenarioError(
      `${where}: expected a manifest, manifest text or {file: path}; got ${JSON.stringify(apply)}`,
    );
  const file = (apply as { file?: unknown }).file;
  if (file === undefined) {
    const objects = objectsOf(apply, where);
    const range = node?.range;
    return {
      objects,
      manifest: range
        ? { kind: 'inline', text: placed(scenario, range[0], range[1]) }
        : { kind: 'text', action, text: JSON.stringify(apply, null, 2) },
    };
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
    if (contentStart > 0 && contentStart <= node.range[1])
      return { kind: 'inline', text: placed(scenario, contentStart, node.range[1]) };
  }
  return { kind: 'text', action, text };
}

/**
 * The objects of manifest text, Lists expanded. Text that does not parse, or a document that
 * is not an object with `apiVersion` and `kind`, is an error naming `where` and the document:
 * nothing the user wrote is dropped silently. Empty documents are skipped.
 */
export function parseAllObjects(text: string, where = 'manifest'): KubeObject[] {
  const objects: KubeObject[] = [];
  // Read as the input files are (parseManifestText): go-yaml's scalars (a timestamp stays a
  // string), lone CRs, the nesting guard; so what a scenario applies is what was validated.
  const file = parseManifestText(text);
  for (const doc of file.documents) {
    const at = `${where}: document ${doc.index + 1}`;
    const error = doc.errors[0];
    if (error) {
      const { line, column } = file.lines.position(error.pos[0]);
      throw new ScenarioError(
        `${at}: not valid YAML: ${yamlProblem(error.message)} at line ${line + 1}, column ${column + 1}`,
      );
    }
    if (doc.tooDeep) throw new ScenarioError(`${at}: nested too deeply to read (collections inside collections)`);
    const o: unknown = toJS(doc.yaml, at);
    if (o !== null && o !== undefined) objects.push(...objectsOf(o, at));
  }
  return objects;
}

/** A decoded manifest as objects to apply: itself, or a List's items. */
function objectsOf(value: unknown, where: string): KubeObject[] {
  const o = Array.isArray(value) ? undefined : fieldsOf(value);
  if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string')
    throw new ScenarioError(`${where}: expected a Kubernetes object with apiVersion and kind`);
  // The apiserver validates each object as it is applied, as it would kubectl's.
  return o.kind === 'List' && Array.isArray(o.items) ? (o.items as KubeObject[]) : [o as KubeObject];
}

/** A decoded YAML value's fields, read as JavaScript reads them: any object (a list too) has them. */
type Fields = Readonly<Record<string, unknown>>;

function fieldsOf(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
