// LimitRanger's validation (plugin/pkg/admission/limitranger, ValidateLimit): a pod created in
// a namespace with LimitRange objects must keep each container (type Container) and the pod as
// a whole (type Pod) within their min, max and maxLimitRequestRatio, and a claim (type
// PersistentVolumeClaim) its storage request within min and max. The first LimitRange a pod
// breaks refuses it with `pods "web" is forbidden: maximum cpu usage per Container is 2, but
// limit is 4`, several breaches of it as a bracketed list. Values are compared as upstream
// compares them: MilliValue(), rounded up, so 100n meets a minimum of 1m.
import type { LimitRangeItem } from '../../base/apiObjects';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../base/quantity';
import { addQuantities, scaledAmount } from '../../base/quantityAmount';
import { ApiError } from '../store/apiError';
import type { KubeObject } from '../store/objects';
import { isKind, type LimitRange, type Pod } from '../store/kinds';
import type { ValidatingPlugin } from './pipeline';

/** A ResourceList of parsed quantities; an unreadable entry is left out (the decoder refuses it first). */
type Resources = Map<string, Quantity>;

function resourceList(value: unknown): Resources {
  const list: Resources = new Map();
  if (typeof value !== 'object' || value === null) return list;
  for (const [name, raw] of Object.entries(value)) {
    const q = parseQuantity(raw);
    if (q) list.set(name, q);
  }
  return list;
}

/** The constraint's resources in name order (upstream walks a Go map, in no fixed order). */
function constraints(value: unknown): [string, Quantity][] {
  return [...resourceList(value)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const milli = (q: Quantity) => scaledAmount(q, 3);

function minConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  requests: Resources,
  limits: Resources,
): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!req) return `minimum ${name} usage per ${type} is ${formatQuantity(enforced)}.  No request is specified`;
  if (milli(req) < milli(enforced))
    return `minimum ${name} usage per ${type} is ${formatQuantity(enforced)}, but request is ${formatQuantity(req)}`;
  if (lim && milli(lim) < milli(enforced))
    return `minimum ${name} usage per ${type} is ${formatQuantity(enforced)}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

function maxConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  requests: Resources,
  limits: Resources,
): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  if (!lim) return `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}.  No limit is specified`;
  if (milli(lim) > milli(enforced))
    return `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}, but limit is ${formatQuantity(lim)}`;
  if (req && milli(req) > milli(enforced))
    return `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}, but request is ${formatQuantity(req)}`;
  return undefined;
}

/** maxRequestConstraint: a claim's limits are not user input, so its max applies to the request alone. */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: Resources): string | undefined {
  const req = requests.get(name);
  if (!req) return `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}.  No request is specified`;
  if (milli(req) > milli(enforced))
    return `maximum ${name} usage per ${type} is ${formatQuantity(enforced)}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function ratioConstraint(
  type: string,
  name: string,
  enforced: Quantity,
  requests: Resources,
  limits: Resources,
): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const prefix = `${name} max limit to request ratio per ${type} is ${formatQuantity(enforced)}`;
  if (!req || milli(req) === 0) return `${prefix}, but no request is specified or request is 0`;
  if (!lim || milli(lim) === 0) return `${prefix}, but no limit is specified or limit is 0`;
  const ratio = milli(lim) / milli(req);
  // Go's %f: six decimals.
  return ratio * 1000 > milli(enforced) ? `${prefix}, but provided ratio is ${ratio.toFixed(6)}` : undefined;
}

/** What one item of a LimitRange says of a set of requests and limits, in upstream's order: min, max, ratio. */
function breaches(item: LimitRangeItem, type: string, requests: Resources, limits: Resources): string[] {
  return [
    ...constraints(item.min).map(([name, q]) => minConstraint(type, name, q, requests, limits)),
    ...constraints(item.max).map(([name, q]) => maxConstraint(type, name, q, requests, limits)),
    ...constraints(item.maxLimitRequestRatio).map(([name, q]) => ratioConstraint(type, name, q, requests, limits)),
  ].filter((m): m is string => m !== undefined);
}

/**
 * resourcehelper.PodRequests or PodLimits without sidecars and
 * overhead: the containers' sum, or a larger init container's.
 */
function podResources(pod: Pod, field: 'requests' | 'limits'): Resources {
  const total: Resources = new Map();
  for (const c of pod.spec?.containers ?? []) {
    for (const [name, q] of resourceList(c.resources?.[field])) {
      const before = total.get(name);
      total.set(name, before ? addQuantities(before, q) : q);
    }
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [name, q] of resourceList(c.resources?.[field])) {
      const before = total.get(name);
      if (!before || compareQuantities(q, before) > 0) total.set(name, q);
    }
  }
  return total;
}

/** PodValidateLimitFunc and PersistentVolumeClaimValidateLimitFunc for one LimitRange. */
function limitRangeBreaches(range: LimitRange, object: KubeObject): string[] {
  const out: (string | undefined)[] = [];
  for (const item of range.spec?.limits ?? []) {
    if (isKind(object, 'Pod') && item?.type === 'Container') {
      for (const c of [...(object.spec?.containers ?? []), ...(object.spec?.initContainers ?? [])]) {
        out.push(
          ...breaches(item, 'Container', resourceList(c.resources?.requests), resourceList(c.resources?.limits)),
        );
      }
    } else if (isKind(object, 'Pod') && item?.type === 'Pod') {
      out.push(...breaches(item, 'Pod', podResources(object, 'requests'), podResources(object, 'limits')));
    } else if (isKind(object, 'PersistentVolumeClaim') && item?.type === 'PersistentVolumeClaim') {
      const requests = resourceList(object.spec?.resources?.requests);
      for (const [name, q] of constraints(item.min))
        out.push(minConstraint('PersistentVolumeClaim', name, q, requests, new Map()));
      for (const [name, q] of constraints(item.max))
        out.push(maxRequestConstraint('PersistentVolumeClaim', name, q, requests));
    }
  }
  return out.filter((m): m is string => m !== undefined);
}

/** LimitRanger's Validate: pods and claims on create, against each LimitRange of their namespace in turn. */
export const limitRangerValidation: ValidatingPlugin = {
  name: 'LimitRanger',
  validate(object, request, context) {
    if (
      request.verb !== 'create' ||
      (object.kind !== 'Pod' && object.kind !== 'PersistentVolumeClaim') ||
      request.namespace === undefined
    )
      return;
    for (const range of context.store.list('limitranges', { namespace: request.namespace })) {
      const found = limitRangeBreaches(range, object);
      if (found.length === 0) continue;
      // utilerrors.NewAggregate prints one error as it is and several as a bracketed list.
      const message = found.length === 1 ? found[0] : `[${found.join(', ')}]`;
      throw new ApiError(403, 'Forbidden', `${request.resource} "${request.name}" is forbidden: ${message}`, {
        name: request.name,
        kind: request.resource,
      });
    }
  },
};
