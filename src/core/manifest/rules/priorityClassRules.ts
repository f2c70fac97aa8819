// PriorityClass, mirroring ValidatePriorityClass in k8s/pkg/apis/scheduling/validation and
// the system classes of k8s/pkg/apis/scheduling (IsKnownSystemPriorityClass): a `system-`
// name is reserved for the two classes the apiserver creates itself, with their own value;
// any other class may go up to one billion.
import { int, str, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.priorityClass;

/** scheduling.HighestUserDefinablePriority. */
export const highestUserDefinablePriority = 1_000_000_000;

/** The classes every cluster has (scheduling.SystemPriorityClasses), created by the apiserver at start. */
export const systemPriorityClasses: readonly {
  readonly name: string;
  readonly value: number;
  readonly description: string;
}[] = [
  {
    name: 'system-node-critical',
    value: 2_000_001_000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2_000_000_000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

export const preemptionPolicies = ['PreemptLowerPriority', 'Never'];

export function validatePriorityClass(object: Obj, errs: RuleErrors): void {
  const name = str((object.metadata as Obj | undefined)?.name);
  const value = int(object.value) ?? 0;
  if (name.startsWith('system-')) {
    const known = systemPriorityClasses.find((c) => c.name === name);
    const problem = !known
      ? `${name} is not a known system priority class`
      : known.value !== value
        ? `value of ${name} PriorityClass must be ${known.value}`
        : object.globalDefault === true
          ? `globalDefault of ${name} PriorityClass must be false`
          : undefined;
    if (problem)
      errs.forbidden(
        code,
        FieldPath.of('metadata', 'name'),
        `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`,
      );
  } else if (value > highestUserDefinablePriority) {
    errs.forbidden(
      code,
      FieldPath.of('value'),
      `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`,
    );
  }
  const policy = object.preemptionPolicy;
  if (typeof policy === 'string' && !preemptionPolicies.includes(policy))
    errs.notSupported(code, FieldPath.of('preemptionPolicy'), policy, preemptionPolicies);
}
