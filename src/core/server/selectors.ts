// Label and field selectors as the apiserver parses them from a list or watch request
// (k8s.io/apimachinery/pkg/labels/selector.go and fields/selector.go), with its error texts.
import type { KubeObject } from '../sim/store/objects';
import { badRequest } from './status';

export type LabelTest = (labels: Readonly<Record<string, string>> | undefined) => boolean;

interface Requirement {
  readonly key: string;
  readonly op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  readonly values: readonly string[];
}

/** Splits at commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function requirement(text: string, whole: string): Requirement {
  const fail = (why: string) => badRequest(`unable to parse requirement: ${why} in "${whole}"`);
  let m = /^!\s*(\S+)$/.exec(text);
  if (m) return { key: m[1], op: '!', values: [] };
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (m) {
    const values = m[3]
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (values.length === 0) throw fail(`for 'in', 'notin' operators, values set can't be empty`);
    return { key: m[1], op: m[2] as 'in' | 'notin', values };
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] };
  if (/^\S+$/.test(text)) return { key: text, op: 'exists', values: [] };
  throw fail(`found '${text}', expected: key, !key, key=value, key!=value, key in (…) or key notin (…)`);
}

/** A labelSelector query parameter as a test on an object's labels; 400 BadRequest when it does not parse. */
export function parseLabelSelector(text: string): LabelTest {
  const requirements = splitTop(text).map((part) => requirement(part, text));
  for (const r of requirements)
    if (!keyPattern.test(r.key)) throw badRequest(`unable to parse requirement: invalid label key "${r.key}"`);
  return (labels) => {
    const have = labels ?? {};
    for (const r of requirements) {
      const v = Object.prototype.hasOwnProperty.call(have, r.key) ? have[r.key] : undefined;
      switch (r.op) {
        case '=':
          if (v !== r.values[0]) return false;
          break;
        case '!=':
          if (v === r.values[0]) return false;
          break;
        case 'in':
          if (v === undefined || !r.values.includes(v)) return false;
          break;
        case 'notin':
          if (v !== undefined && r.values.includes(v)) return false;
          break;
        case 'exists':
          if (v === undefined) return false;
          break;
        case '!':
          if (v !== undefined) return false;
          break;
      }
    }
    return true;
  };
}

export type FieldTest = (object: KubeObject) => boolean;

function read(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return '';
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The fields each resource can be selected by: metadata.name and metadata.namespace everywhere,
 * and what the resource's registry adds (pkg/registry/core/pod/strategy.go ToSelectableFields,
 * event/strategy.go, node and namespace strategies).
 */
const selectable: Readonly<Record<string, readonly string[]>> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
    'spec.hostNetwork',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  secrets: ['type'],
  replicasets: ['status.replicas'],
  jobs: ['status.successful'],
};

/** A fieldSelector query parameter as a test on an object; 400 BadRequest for an unknown field, as upstream. */
export function parseFieldSelector(text: string, resource: string): FieldTest {
  const terms = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const tests = terms.map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    const known = field === 'metadata.name' || field === 'metadata.namespace' || selectable[resource]?.includes(field);
    if (!known)
      throw badRequest(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    const path = resource === 'events' && field === 'source' ? 'source.component' : field;
    return (object: KubeObject) => (read(object, path) === value) !== (op === '!=');
  });
  return (object) => tests.every((t) => t(object));
}
