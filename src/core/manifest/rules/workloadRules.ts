// apps/v1 workloads, mirroring k8s/pkg/apis/apps/validation/validation.go:
// ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateDaemonSetSpec,
// ValidateStatefulSetSpec and ValidatePodTemplateSpecForReplicaSet.
import { isValidPercent } from './nameFormats';
import {
  goLabelSelector,
  selectorIsEmpty,
  selectorMatches,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
} from './objectMetaRules';
import { goStringMap, int, intOrString, isObj, obj, str, type Obj } from '../base/plainValue';
import { validatePodTemplate } from './podSpecRules';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.workload;
const spec = FieldPath.of('spec');

export function validateNonnegative(value: unknown, path: FieldPath, errs: RuleErrors): void {
  const n = int(value);
  if (n !== undefined && n < 0) errs.invalid(code, path, n, 'must be greater than or equal to 0');
}

/**
 * The selector checks every controller shares: required (not for DaemonSets), valid, not
 * empty. An empty selector's value prints as `{}`: LabelSelector's JSON omits empty fields.
 */
export function validateSelector(selector: unknown, emptyMessage: string, errs: RuleErrors, required = true): void {
  const path = spec.child('selector');
  if (!isObj(selector)) {
    if (required) errs.required(ruleCodes.selector, path);
    return;
  }
  validateLabelSelector(selector, path, errs);
  if (selectorIsEmpty(selector)) errs.invalid(ruleCodes.selector, path, {}, emptyMessage, goLabelSelector(selector));
}

/**
 * The template's labels must be selected (ValidatePodTemplateSpecForReplicaSet). A missing
 * selector converts to labels.Nothing(), which matches no labels, so it fails here too; an
 * empty one selects everything. The value is the whole labels map.
 */
export function validateSelectorMatchesTemplate(selector: unknown, template: unknown, errs: RuleErrors): void {
  const metadata = obj(obj(template).metadata);
  const labels = obj(metadata.labels);
  const matches = isObj(selector) ? selectorIsEmpty(selector) || selectorMatches(selector, labels) : false;
  if (matches === false) {
    const value = isObj(metadata.labels) ? labels : null;
    errs.invalid(
      ruleCodes.selector,
      spec.child('template', 'metadata', 'labels'),
      value,
      '`selector` does not match template `labels`',
      goStringMap(value),
    );
  }
}

/** The template rules of a controller whose pods always restart (ValidatePodTemplateSpecForReplicaSet and kin). */
function validateRestartingTemplate(template: unknown, kindForDeadline: string, errs: RuleErrors): void {
  const path = spec.child('template');
  validatePodTemplate(template, path, errs);
  const podSpec = obj(obj(template).spec);
  const restart = str(podSpec.restartPolicy);
  if (restart && restart !== 'Always')
    errs.notSupported(ruleCodes.restartPolicy, path.child('spec', 'restartPolicy'), restart, ['Always']);
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null)
    errs.forbidden(
      code,
      path.child('spec', 'activeDeadlineSeconds'),
      `activeDeadlineSeconds in ${kindForDeadline} is not Supported`,
    );
}

/** ValidatePositiveIntOrPercent plus IsNotMoreThan100Percent; returns the resolved value (percent of 100). */
function validateIntOrPercent(
  value: unknown,
  path: FieldPath,
  errs: RuleErrors,
  capAt100: boolean,
): number | undefined {
  const v = intOrString(value);
  if (!v) return undefined;
  if (v.kind === 'int') {
    validateNonnegative(v.value, path, errs);
    return v.value;
  }
  // The bad value is the IntOrString itself: "50x" as JSON, a struct in Go syntax before 1.34.
  const messages = isValidPercent(v.value);
  for (const message of messages) errs.invalid(code, path, v.value, message, goIntOrString(value));
  if (messages.length) return undefined;
  const percent = Number(v.value.slice(0, -1));
  if (capAt100 && percent > 100)
    errs.invalid(code, path, v.value, 'must not be greater than 100%', goIntOrString(value));
  return percent;
}

function goIntOrString(value: unknown): string {
  const v = intOrString(value);
  if (v?.kind === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v.value)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v?.value ?? 0}, StrVal:""}`;
}

function validateDeploymentStrategy(strategy: Obj, errs: RuleErrors): void {
  const path = spec.child('strategy');
  const type = str(strategy.type);
  const rolling = strategy.rollingUpdate;
  if (type === 'Recreate') {
    if (isObj(rolling))
      errs.forbidden(code, path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'");
  } else if (type === 'RollingUpdate') {
    if (!isObj(rolling)) return;
    const rp = path.child('rollingUpdate');
    const surge = validateIntOrPercent(rolling.maxSurge, rp.child('maxSurge'), errs, false);
    const unavailable = validateIntOrPercent(rolling.maxUnavailable, rp.child('maxUnavailable'), errs, true);
    if (surge === 0 && unavailable === 0)
      errs.invalid(
        code,
        rp.child('maxUnavailable'),
        rolling.maxUnavailable,
        'may not be 0 when `maxSurge` is 0',
        goIntOrString(rolling.maxUnavailable),
      );
  } else {
    // The value is the internal DeploymentStrategy struct, which has no JSON tags.
    const value = { Type: type, RollingUpdate: null };
    errs.notSupported(
      code,
      path,
      value,
      ['Recreate', 'RollingUpdate'],
      `apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`,
    );
  }
}

export function validateDeployment(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  validateNonnegative(s.replicas, spec.child('replicas'), errs);
  validateSelector(s.selector, 'empty selector is invalid for deployment', errs);
  validateSelectorMatchesTemplate(s.selector, s.template, errs);
  validateRestartingTemplate(s.template, 'ReplicaSet', errs);
  if (isObj(s.strategy)) validateDeploymentStrategy(s.strategy, errs);
  validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds'), errs);
  validateNonnegative(s.revisionHistoryLimit, spec.child('revisionHistoryLimit'), errs);
  const deadline = int(s.progressDeadlineSeconds);
  if (deadline !== undefined) {
    validateNonnegative(deadline, spec.child('progressDeadlineSeconds'), errs);
    if (deadline <= (int(s.minReadySeconds) ?? 0))
      errs.invalid(code, spec.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds');
  }
}

export function validateReplicaSet(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  validateNonnegative(s.replicas, spec.child('replicas'), errs);
  validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds'), errs);
  // Upstream shares the Deployment wording here.
  validateSelector(s.selector, 'empty selector is invalid for deployment', errs);
  validateSelectorMatchesTemplate(s.selector, s.template, errs);
  validateRestartingTemplate(s.template, 'ReplicaSet', errs);
}

export function validateDaemonSet(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  validateLabelSelector(s.selector, spec.child('selector'), errs);
  validateSelectorMatchesTemplate(s.selector, s.template, errs);
  if (isObj(s.selector) && selectorIsEmpty(s.selector))
    errs.invalid(
      ruleCodes.selector,
      spec.child('selector'),
      {},
      'empty selector is invalid for daemonset',
      goLabelSelector(s.selector),
    );
  validateRestartingTemplate(s.template, 'DaemonSet', errs);
  validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds'), errs);
  validateNonnegative(s.revisionHistoryLimit, spec.child('revisionHistoryLimit'), errs);
  const strategy = obj(s.updateStrategy);
  const path = spec.child('updateStrategy');
  const type = str(strategy.type);
  if (!isObj(s.updateStrategy) || type === 'OnDelete') return;
  if (type !== 'RollingUpdate') {
    errs.notSupported(
      code,
      path,
      { Type: type, RollingUpdate: null },
      ['RollingUpdate', 'OnDelete'],
      `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(type)}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}`,
    );
    return;
  }
  if (!isObj(strategy.rollingUpdate)) {
    errs.required(code, path.child('rollingUpdate'));
    return;
  }
  const rolling = strategy.rollingUpdate;
  const rp = path.child('rollingUpdate');
  const unavailable = validateIntOrPercent(rolling.maxUnavailable, rp.child('maxUnavailable'), errs, true);
  const surge = validateIntOrPercent(rolling.maxSurge, rp.child('maxSurge'), errs, true);
  // ValidateRollingUpdateDaemonSet: exactly one of the two must be non-zero.
  if (unavailable === 0 && surge === 0)
    errs.required(code, rp.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0');
  if (unavailable !== undefined && unavailable !== 0 && surge !== undefined && surge !== 0)
    errs.invalid(
      code,
      rp.child('maxSurge'),
      rolling.maxSurge,
      'may not be set when maxUnavailable is non-zero',
      goIntOrString(rolling.maxSurge),
    );
}

/**
 * ValidateStatefulSetSpec. Upstream does not validate the template's pod spec here (its
 * TODO: volumes come from volumeClaimTemplates); only the template's labels and
 * annotations, reported at `spec.template.labels` and `spec.template.annotations`.
 */
export function validateStatefulSet(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  const policy = str(s.podManagementPolicy);
  if (policy && policy !== 'OrderedReady' && policy !== 'Parallel')
    errs.invalid(code, spec.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'");
  const strategy = obj(s.updateStrategy);
  const type = str(strategy.type);
  const rolling = strategy.rollingUpdate;
  if (type === 'OnDelete' && isObj(rolling))
    errs.invalid(
      code,
      spec.child('updateStrategy', 'rollingUpdate'),
      rolling,
      "only allowed for updateStrategy 'RollingUpdate'",
    );
  else if (type === 'RollingUpdate' && isObj(rolling)) {
    validateNonnegative(rolling.partition, spec.child('updateStrategy', 'rollingUpdate', 'partition'), errs);
    const unavailable = validateIntOrPercent(
      rolling.maxUnavailable,
      spec.child('updateStrategy', 'rollingUpdate', 'maxUnavailable'),
      errs,
      true,
    );
    if (unavailable === 0)
      errs.invalid(
        code,
        spec.child('updateStrategy', 'rollingUpdate', 'maxUnavailable'),
        rolling.maxUnavailable,
        'cannot be 0',
        goIntOrString(rolling.maxUnavailable),
      );
  } else if (type && type !== 'OnDelete' && type !== 'RollingUpdate')
    errs.invalid(
      code,
      spec.child('updateStrategy'),
      { Type: type, RollingUpdate: null },
      "must be 'RollingUpdate' or 'OnDelete'",
      `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(type)}, ` +
        'RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}',
    );
  const retention = obj(s.persistentVolumeClaimRetentionPolicy);
  for (const field of ['whenDeleted', 'whenScaled']) {
    const value = str(retention[field]);
    if (value && value !== 'Retain' && value !== 'Delete')
      errs.notSupported(ruleCodes.unsupportedValue, spec.child('persistentVolumeClaimRetentionPolicy', field), value, [
        'Retain',
        'Delete',
      ]);
  }
  validateNonnegative(s.replicas, spec.child('replicas'), errs);
  validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds'), errs);
  validateSelector(s.selector, 'empty selector is invalid for statefulset', errs);
  validateSelectorMatchesTemplate(s.selector, s.template, errs);
  const meta = obj(obj(s.template).metadata);
  validateLabels(meta.labels, spec.child('template', 'labels'), errs);
  validateAnnotations(meta.annotations, spec.child('template', 'annotations'), errs);
  const podSpec = obj(obj(s.template).spec);
  const restart = str(podSpec.restartPolicy);
  if (restart && restart !== 'Always')
    errs.notSupported(ruleCodes.restartPolicy, spec.child('template', 'spec', 'restartPolicy'), restart, ['Always']);
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null)
    errs.forbidden(
      code,
      spec.child('template', 'spec', 'activeDeadlineSeconds'),
      'activeDeadlineSeconds in StatefulSet is not Supported',
    );
}

/**
 * ValidateReplicationControllerSpec (core): the selector is a plain label map that
 * defaulting fills from the template labels when it is empty.
 */
export function validateReplicationController(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  validateNonnegative(s.replicas, spec.child('replicas'), errs);
  validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds'), errs);
  const selector = obj(s.selector);
  if (Object.keys(selector).length === 0) errs.required(ruleCodes.selector, spec.child('selector'));
  validateLabels(s.selector, spec.child('selector'), errs);
  if (!isObj(s.template)) {
    errs.required(code, spec.child('template'));
    return;
  }
  if (Object.keys(selector).length > 0) validateSelectorMatchesTemplate({ matchLabels: selector }, s.template, errs);
  validateRestartingTemplate(s.template, 'ReplicationController', errs);
}
