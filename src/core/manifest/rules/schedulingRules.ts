// Scheduling fields of the pod spec, mirroring ValidateTolerations, validateAffinity /
// ValidateNodeSelectorRequirement, validateTopologySpreadConstraints and
// validatePodHostNetworkDeps in k8s/pkg/apis/core/validation/validation.go.
import { isLabelValue, isQualifiedName } from './nameFormats';
import { checkSetOperatorValues } from './objectMetaRules';
import { arr, int, isObj, obj, str, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import type { FieldPath, RuleErrors } from './ruleError';

const code = ruleCodes.podSpec;
const tolerationEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations: key, operator/value pairing, effect. */
function validateTolerations(tolerations: unknown, path: FieldPath, errs: RuleErrors): void {
  const code = ruleCodes.podSpec;
  arr(tolerations).forEach((item, i) => {
    const t = obj(item);
    const p = path.index(i);
    const key = str(t.key);
    if (key) errs.invalidEach(code, p.child('key'), key, isQualifiedName(key, errs.minor));
    const operator = str(t.operator);
    if (!key && operator !== 'Exists')
      errs.invalid(
        code,
        p.child('operator'),
        operator,
        'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      );
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && str(t.effect) !== 'NoExecute')
      errs.invalid(
        code,
        p.child('effect'),
        str(t.effect),
        "effect must be 'NoExecute' when `tolerationSeconds` is set",
      );
    const value = str(t.value);
    if (operator === '' || operator === 'Equal') {
      const messages = isLabelValue(value, errs.minor);
      if (messages.length) errs.invalid(code, p.child('operator'), value, messages.join(';'));
    } else if (operator === 'Exists') {
      if (value) errs.invalid(code, p.child('operator'), value, "value must be empty when `operator` is 'Exists'");
    } else errs.notSupported(ruleCodes.unsupportedValue, p.child('operator'), operator, ['Equal', 'Exists']);
    const effect = str(t.effect);
    if (effect && !tolerationEffects.includes(effect))
      errs.notSupported(ruleCodes.unsupportedValue, p.child('effect'), effect, tolerationEffects);
  });
}

/** ValidateNodeSelectorRequirement: values by operator, and a qualified-name key. */
function validateNodeSelectorRequirements(requirements: unknown, path: FieldPath, errs: RuleErrors): void {
  arr(requirements).forEach((item, i) => {
    const r = obj(item);
    const p = path.index(i);
    const operator = str(r.operator);
    const values = arr(r.values);
    if (checkSetOperatorValues(operator, values, p, code, errs)) {
      // In, NotIn, Exists, DoesNotExist: as in a label selector.
    } else if (operator === 'Gt' || operator === 'Lt') {
      if (values.length !== 1)
        errs.required(code, p.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'");
    } else {
      errs.invalid(code, p.child('operator'), operator, 'not a valid selector operator');
    }
    const key = str(r.key);
    errs.invalidEach(ruleCodes.invalidLabel, p.child('key'), key, isQualifiedName(key, errs.minor));
  });
}

function validateNodeSelectorTerm(term: unknown, path: FieldPath, errs: RuleErrors): void {
  validateNodeSelectorRequirements(obj(term).matchExpressions, path.child('matchExpressions'), errs);
}

/** The node affinity part of validateAffinity: terms required, weights 1–100, requirements. */
function validateNodeAffinity(affinity: unknown, path: FieldPath, errs: RuleErrors): void {
  const node = obj(obj(affinity).nodeAffinity);
  const p = path.child('nodeAffinity');
  const required = node.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObj(required)) {
    const termsPath = p.child('requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
    const terms = arr(required.nodeSelectorTerms);
    if (terms.length === 0) errs.required(code, termsPath, 'must have at least one node selector term');
    terms.forEach((term, i) => validateNodeSelectorTerm(term, termsPath.index(i), errs));
  }
  arr(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((item, i) => {
    const pref = obj(item);
    const pp = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
    const weight = int(pref.weight);
    if (weight !== undefined && (weight <= 0 || weight > 100))
      errs.invalid(code, pp.child('weight'), weight, 'must be in the range 1-100');
    validateNodeSelectorTerm(pref.preference, pp.child('preference'), errs);
  });
}

const unsatisfiableActions = ['DoNotSchedule', 'ScheduleAnyway'];

/** validateTopologySpreadConstraints: skew, domains, key, action, and no repeated key and action pair. */
function validateTopologySpread(constraints: unknown, path: FieldPath, errs: RuleErrors): void {
  const seen = new Set<string>();
  arr(constraints).forEach((item, i) => {
    const c = obj(item);
    const p = path.index(i);
    const skew = int(c.maxSkew);
    if (skew !== undefined && skew <= 0) errs.invalid(code, p.child('maxSkew'), skew, 'must be greater than zero');
    const action = str(c.whenUnsatisfiable);
    const domains = int(c.minDomains);
    if (domains !== undefined) {
      if (domains <= 0) errs.invalid(code, p.child('minDomains'), domains, 'must be greater than zero');
      else if (action !== 'DoNotSchedule')
        errs.invalid(
          code,
          p.child('minDomains'),
          domains,
          `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
        );
    }
    const key = str(c.topologyKey);
    if (!key) errs.required(code, p.child('topologyKey'), 'can not be empty');
    if (!unsatisfiableActions.includes(action))
      errs.notSupported(ruleCodes.unsupportedValue, p.child('whenUnsatisfiable'), action, unsatisfiableActions);
    const pair = `{${key}, ${action}}`;
    if (seen.has(pair)) errs.duplicate(code, p, pair);
    seen.add(pair);
  });
}

/** validatePodHostNetworkDeps: with hostNetwork, a hostPort must equal its containerPort. */
function validateHostNetworkPorts(spec: Obj, path: FieldPath, errs: RuleErrors): void {
  if (spec.hostNetwork !== true) return;
  for (const list of ['containers', 'initContainers']) {
    arr(spec[list]).forEach((c, ci) => {
      arr(obj(c).ports).forEach((item, pi) => {
        const port = obj(item);
        const hostPort = int(port.hostPort);
        if (hostPort !== undefined && hostPort !== 0 && hostPort !== int(port.containerPort))
          errs.invalid(
            ruleCodes.port,
            path.child(list).index(ci).child('ports').index(pi).child('hostPort'),
            hostPort,
            'must match `containerPort` when `hostNetwork` is true',
          );
      });
    });
  }
}

/** The scheduling-related checks of ValidatePodSpec, in upstream order. */
export function validateScheduling(spec: Obj, path: FieldPath, errs: RuleErrors): void {
  validateHostNetworkPorts(spec, path, errs);
  if (isObj(spec.affinity)) validateNodeAffinity(spec.affinity, path.child('affinity'), errs);
  validateTolerations(spec.tolerations, path.child('tolerations'), errs);
  validateTopologySpread(spec.topologySpreadConstraints, path.child('topologySpreadConstraints'), errs);
}
