// ObjectMeta, labels, annotations and label selectors, as apimachinery validates them:
// pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor, ValidateAnnotations) and
// pkg/apis/meta/v1/validation/validation.go (ValidateLabels, ValidateLabelSelector).
// Label and annotation errors are reported on the whole map path, as upstream does.
import { isDNS1123Label, isLabelValue, isQualifiedName, byteLength, type NameRule } from './nameFormats';
import { arr, isObj, obj, str, stringEntries, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import type { RuleCode } from './ruleCodes';
import type { FieldPath, RuleErrors } from './ruleError';

const totalAnnotationSizeLimit = 256 * 1024;

/** ValidateLabels: every bad key and every bad value is its own Invalid error on the map path. */
export function validateLabels(labels: unknown, path: FieldPath, errs: RuleErrors): void {
  for (const [key, value] of stringEntries(labels)) {
    errs.invalidEntry(ruleCodes.invalidLabel, path, key, isQualifiedName(key, errs.minor), key, 'key');
    errs.invalidEntry(ruleCodes.invalidLabel, path, value, isLabelValue(value, errs.minor), key, 'value');
  }
}

/** ValidateAnnotations: keys are checked lower-cased but reported as written; the total size is capped. */
export function validateAnnotations(annotations: unknown, path: FieldPath, errs: RuleErrors): void {
  let total = 0;
  for (const [key, value] of stringEntries(annotations)) {
    errs.invalidEntry(ruleCodes.invalidLabel, path, key, isQualifiedName(key.toLowerCase(), errs.minor), key, 'key');
    total += byteLength(key) + byteLength(value);
  }
  if (total > totalAnnotationSizeLimit) errs.tooLong(ruleCodes.invalidLabel, path, totalAnnotationSizeLimit);
}

export interface MetaOptions {
  readonly nameRule: NameRule;
  readonly namespaced: boolean;
}

/** ValidateObjectMeta for a create: generateName, name, namespace, labels, annotations, finalizers, owners. */
export function validateObjectMeta(meta: unknown, path: FieldPath, opts: MetaOptions, errs: RuleErrors): void {
  const m = obj(meta);
  const name = str(m.name);
  const generateName = str(m.generateName);
  const code = ruleCodes.invalidName;
  if (generateName) errs.invalidEach(code, path.child('generateName'), generateName, opts.nameRule(generateName, true));
  // The server fills the name from generateName before validation, so only a missing pair is an error.
  if (!name && !generateName) errs.required(code, path.child('name'), 'name or generateName is required');
  else if (name) errs.invalidEach(code, path.child('name'), name, opts.nameRule(name, false));
  const namespace = str(m.namespace);
  // An empty namespace is filled from the request (kubectl's context); only a bad one is an error.
  if (opts.namespaced && namespace)
    errs.invalidEach(code, path.child('namespace'), namespace, isDNS1123Label(namespace));
  // For a cluster-scoped kind the server clears the namespace before validation
  // (EnsureObjectNamespaceMatchesRequestNamespace), so ValidateObjectMeta's Forbidden never
  // reaches a user: the schema layer's PT2012 warns about it instead.
  validateLabels(m.labels, path.child('labels'), errs);
  validateAnnotations(m.annotations, path.child('annotations'), errs);
  validateFinalizers(m.finalizers, path.child('finalizers'), errs);
}

function validateFinalizers(finalizers: unknown, path: FieldPath, errs: RuleErrors): void {
  const list = arr(finalizers).filter((f): f is string => typeof f === 'string');
  for (const f of list) {
    // Standard finalizers without a prefix (orphan, foregroundDeletion) are qualified names too.
    errs.invalidEach(ruleCodes.invalidLabel, path, f, isQualifiedName(f, errs.minor));
  }
  if (list.includes('orphan') && list.includes('foregroundDeletion'))
    errs.invalid(ruleCodes.invalidLabel, path, list, 'finalizer orphan and foregroundDeletion cannot be both set');
}

const selectorOperators = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** ValidateLabelSelector: matchLabels as labels, then each requirement of matchExpressions. */
/**
 * The values rule shared by label selector and node selector requirements for the set
 * operators (In, NotIn, Exists, DoesNotExist); false for any other operator, which each
 * caller judges its own way.
 */
export function checkSetOperatorValues(
  operator: string,
  values: readonly unknown[],
  p: FieldPath,
  code: RuleCode,
  errs: RuleErrors,
): boolean {
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0)
      errs.required(code, p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'");
    return true;
  }
  if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0)
      errs.forbidden(code, p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    return true;
  }
  return false;
}

export function validateLabelSelector(selector: unknown, path: FieldPath, errs: RuleErrors): void {
  if (!isObj(selector)) return;
  const code = ruleCodes.selector;
  validateLabels(selector.matchLabels, path.child('matchLabels'), errs);
  arr(selector.matchExpressions).forEach((req, i) => {
    const r = obj(req);
    const p = path.child('matchExpressions').index(i);
    const operator = str(r.operator);
    const values = arr(r.values);
    if (!checkSetOperatorValues(operator, values, p, code, errs))
      errs.invalid(code, p.child('operator'), operator, 'not a valid selector operator');
    errs.invalidEach(ruleCodes.invalidLabel, p.child('key'), str(r.key), isQualifiedName(str(r.key), errs.minor));
    values.forEach((v, j) => {
      if (typeof v === 'string')
        errs.invalidEach(ruleCodes.invalidLabel, p.child('values').index(j), v, isLabelValue(v, errs.minor));
    });
  });
}

/** True when the selector has neither matchLabels nor matchExpressions (it would select everything). */
export function selectorIsEmpty(selector: Obj): boolean {
  return stringEntries(selector.matchLabels).length === 0 && arr(selector.matchExpressions).length === 0;
}

/** LabelSelectorAsSelector(...).Matches(labels); undefined when the selector cannot be converted. */
export function selectorMatches(selector: Obj, labels: Obj): boolean | undefined {
  for (const [k, v] of stringEntries(selector.matchLabels)) if (!(k in labels) || String(labels[k]) !== v) return false;
  for (const req of arr(selector.matchExpressions)) {
    const r = obj(req);
    const key = str(r.key);
    const operator = str(r.operator);
    if (!selectorOperators.has(operator)) return undefined;
    const values = arr(r.values).map(String);
    const has = key in labels;
    const value = has ? String(labels[key]) : '';
    if (operator === 'In' && !(has && values.includes(value))) return false;
    if (operator === 'NotIn' && has && values.includes(value)) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * How 1.32–1.33 print a LabelSelector bad value: the pointer is dereferenced, and a
 * struct value has no String() method, so Go's %#v is used.
 */
export function goLabelSelector(selector: Obj): string {
  const labels = stringEntries(selector.matchLabels);
  const labelsText = isObj(selector.matchLabels)
    ? `map[string]string{${labels
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(', ')}}`
    : 'map[string]string(nil)';
  const exprs = Array.isArray(selector.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${arr(selector.matchExpressions)
        .map((e) => {
          const r = obj(e);
          const values = Array.isArray(r.values)
            ? `[]string{${arr(r.values)
                .map((v) => JSON.stringify(String(v)))
                .join(', ')}}`
            : '[]string(nil)';
          return (
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(str(r.key))}, ` +
            `Operator:${JSON.stringify(str(r.operator))}, Values:${values}}`
          );
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${labelsText}, MatchExpressions:${exprs}}`;
}
