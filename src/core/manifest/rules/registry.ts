// The rule registry: for each built-in kind, its group, the name rule its ObjectMeta is
// validated with, whether it is namespaced, and the validator of its body. Adding a kind
// or a rule is adding a row or a function here. Objects are expected to be defaulted
// first (applyDefaults in ../defaults.ts), as the apiserver defaults before validating.
import { validateConfigMap, validateNamespace, validateSecret } from './configRules';
import { validateIngress } from './ingressRules';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, type NameRule } from './nameFormats';
import { validateObjectMeta } from './objectMetaRules';
import { isObj, str, type Obj } from '../base/plainValue';
import { validatePodSpec } from './podSpecRules';
import { validatePriorityClass } from './priorityClassRules';
import { validateCronJob, validateJob } from './batchRules';
import { FieldPath, RuleErrors, ruleErrorMessage, type RuleError } from './ruleError';
import { validateService } from './serviceRules';
import {
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateReplicationController,
  validateStatefulSet,
} from './workloadRules';

export interface KindRules {
  /** The API group ('' for core). */
  readonly group: string;
  readonly nameRule: NameRule;
  readonly namespaced: boolean;
  readonly validate?: (object: Obj, errs: RuleErrors) => void;
}

const validatePod = (object: Obj, errs: RuleErrors) =>
  validatePodSpec(object.spec, FieldPath.of('spec'), { isPod: true }, errs);

function row(group: string, nameRule: NameRule, namespaced: boolean, validate?: KindRules['validate']): KindRules {
  return validate ? { group, nameRule, namespaced, validate } : { group, nameRule, namespaced };
}

/** Which name rule each kind uses: the facts' section 2.3 and each kind's Validate<Kind>. */
export const kindRules: Readonly<Record<string, KindRules>> = {
  Pod: row('', nameIsDNSSubdomain, true, validatePod),
  Service: row('', nameIsDNS1035Label, true, validateService),
  ConfigMap: row('', nameIsDNSSubdomain, true, validateConfigMap),
  Secret: row('', nameIsDNSSubdomain, true, validateSecret),
  Namespace: row('', nameIsDNSLabel, false, validateNamespace),
  ServiceAccount: row('', nameIsDNSSubdomain, true),
  PersistentVolumeClaim: row('', nameIsDNSSubdomain, true),
  PersistentVolume: row('', nameIsDNSSubdomain, false),
  Endpoints: row('', nameIsDNSSubdomain, true),
  LimitRange: row('', nameIsDNSSubdomain, true),
  ResourceQuota: row('', nameIsDNSSubdomain, true),
  ReplicationController: row('', nameIsDNSSubdomain, true, validateReplicationController),
  Node: row('', nameIsDNSSubdomain, false),
  Deployment: row('apps', nameIsDNSSubdomain, true, validateDeployment),
  ReplicaSet: row('apps', nameIsDNSSubdomain, true, validateReplicaSet),
  // Since ~1.31 StatefulSet names are DNS labels: pods are named <name>-<ordinal> and get a hostname from it.
  StatefulSet: row('apps', nameIsDNSLabel, true, validateStatefulSet),
  DaemonSet: row('apps', nameIsDNSSubdomain, true, validateDaemonSet),
  Job: row('batch', nameIsDNSSubdomain, true, validateJob),
  CronJob: row('batch', nameIsDNSSubdomain, true, validateCronJob),
  Ingress: row('networking.k8s.io', nameIsDNSSubdomain, true, validateIngress),
  IngressClass: row('networking.k8s.io', nameIsDNSSubdomain, false),
  NetworkPolicy: row('networking.k8s.io', nameIsDNSSubdomain, true),
  PriorityClass: row('scheduling.k8s.io', nameIsDNSSubdomain, false, validatePriorityClass),
  StorageClass: row('storage.k8s.io', nameIsDNSSubdomain, false),
  HorizontalPodAutoscaler: row('autoscaling', nameIsDNSSubdomain, true),
  PodDisruptionBudget: row('policy', nameIsDNSSubdomain, true),
};

/** The group of an apiVersion: `apps/v1` → `apps`, `v1` → ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The rules for an object, or undefined for kinds (and removed group versions) they do not cover. */
export function rulesFor(object: unknown): KindRules | undefined {
  if (!isObj(object)) return undefined;
  const rules = kindRules[str(object.kind)];
  if (!rules || rules.group !== groupOf(str(object.apiVersion))) return undefined;
  // Only the versions a 1.32–1.35 apiserver serves; removed ones are the schema layer's to report.
  const version = str(object.apiVersion).slice(rules.group ? rules.group.length + 1 : 0);
  return version === 'v1' || (rules.group === 'autoscaling' && version === 'v2') ? rules : undefined;
}

/** Every error and server warning layer 3 raises for one (defaulted) object. */
export function checkObjectRules(object: unknown, version: string): RuleError[] {
  const rules = rulesFor(object);
  if (!rules) return [];
  const o = object as Obj;
  const errs = new RuleErrors(version);
  validateObjectMeta(o.metadata, FieldPath.of('metadata'), rules, errs);
  rules.validate?.(o, errs);
  return errs.list;
}

/**
 * The apiserver's field errors for one defaulted object, in the order its validators emit
 * them; what a create would be rejected with (server warnings are left out).
 */
export function validateObjectRules(object: unknown, version: string): RuleError[] {
  return checkObjectRules(object, version).filter((e) => e.severity !== 'warning');
}

/** The `Warning:` lines the apiserver would send for an accepted object. */
export function objectRuleWarnings(object: unknown, version: string): string[] {
  return checkObjectRules(object, version)
    .filter((e) => e.severity === 'warning')
    .map((e) => ruleErrorMessage(e, version));
}
