// Layer 3 in the editor and the CLI: default each object as the apiserver would, run the
// rules, and turn every field.Error into a Finding whose message is the apiserver's text
// and whose range is the YAML that caused it.
import type { Document } from 'yaml';
import type { Finding, SourceRange } from '../../base/finding';
import { applyDefaults } from '../base/defaults';
import { fieldErrorPath } from '../base/fieldError';
import { formatFieldPath, type PathSegment } from '../base/fieldPath';
import { pathExists, type Anchor } from '../base/sourceMap';
import type { DocumentContext, ValidationLayer } from '../base/validationLayer';
import { arr, isObj, type Obj } from '../base/plainValue';
import { checkObjectRules } from './registry';
import { ruleErrorMessage, type RuleError } from './ruleError';
import { fixesFor } from './ruleFixes';

/**
 * Paths the apiserver reports on fields it derived from others: where the user wrote the
 * source field, point there (the server copies `clusterIP` into `clusterIPs`).
 */
function writtenSegments(
  doc: Document.Parsed,
  base: readonly PathSegment[],
  segments: readonly PathSegment[],
): readonly PathSegment[] {
  // The Ingress class annotation is reported as `annotations[…]`, without its metadata parent.
  if (segments[0] === 'annotations') return ['metadata', ...segments];
  if (segments[0] === 'spec' && segments[1] === 'clusterIPs' && !pathExists(doc, [...base, ...segments]))
    return ['spec', 'clusterIP'];
  return segments;
}

function rangeFor(context: DocumentContext, base: readonly PathSegment[], error: RuleError): SourceRange {
  const full = [...base, ...writtenSegments(context.doc.yaml, base, error.segments)];
  // Map-path errors (labels, annotations, requests) name the whole map; underline the entry.
  if (error.entry) return context.rangeOf([...full, error.entry.key], error.entry.anchor);
  // A bad map key (`data[my key]`) is underlined on the key itself.
  const last = error.segments.length - 1;
  if (error.mapKeyAt?.has(last) && error.badValue === error.segments[last]) return context.rangeOf(full, 'key');
  // Required and Forbidden errors read best on the key; value errors on the value.
  const anchor: Anchor = error.type === 'FieldValueRequired' || error.type === 'FieldValueForbidden' ? 'key' : 'value';
  return context.rangeOf(full, anchor);
}

function findingsForObject(context: DocumentContext, object: Obj, base: readonly PathSegment[]): Finding[] {
  const version = context.options.kubernetesVersion;
  const errors = checkObjectRules(applyDefaults(object, version), version);
  if (errors.length === 0) return [];
  const prefix = base.length ? `${formatFieldPath(base)}.` : '';
  return errors.map((error) => {
    const warning = error.severity === 'warning';
    const message = ruleErrorMessage(error, version);
    const fixes = fixesFor(error, { doc: context.doc.yaml, lines: context.file.lines, object, base });
    const finding: Finding = {
      code: error.code,
      severity: warning ? 'warning' : 'error',
      message,
      range: rangeFor(context, base, error),
      path: prefix + fieldErrorPath(error),
      documentIndex: context.doc.index,
      ...(fixes.length ? { fixes } : {}),
    };
    return finding;
  });
}

/** Layer 3: the apiserver's own rules, after its defaulting, for every built-in object in the document. */
export const rulesLayer: ValidationLayer = {
  id: 'rules',
  check(context) {
    const value = context.value();
    if (!isObj(value)) return [];
    // A kind: List is validated item by item, as kubectl sends each item on its own.
    if (value.kind === 'List' && Array.isArray(value.items)) {
      return arr(value.items).flatMap((item, i) => (isObj(item) ? findingsForObject(context, item, ['items', i]) : []));
    }
    return findingsForObject(context, value, []);
  },
};
