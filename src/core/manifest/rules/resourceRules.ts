// Container resources, mirroring ValidateContainerResourceRequirements and
// ValidateResourceRequirements in k8s/pkg/apis/core/validation/validation.go: requests may
// not exceed limits, and resources that cannot be overcommitted (hugepages, extended
// resources) need a request equal to the limit. Unparseable quantities are the decoder's
// (and the schema layer's) business, so they are skipped here.
import { isQualifiedName } from './nameFormats';
import { isObj, type Obj } from '../base/plainValue';
import { compareQuantities, formatQuantity, parseQuantity, quantitySign, type Quantity } from '../../base/quantity';
import { milliValue } from '../../base/quantityAmount';
import { ruleCodes } from './ruleCodes';
import type { FieldPath, RuleErrors } from './ruleError';

const code = ruleCodes.resources;
const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** A resource outside kubernetes.io/ with a domain prefix (example.com/gpu) is an extended resource. */
function isExtended(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

function quantities(map: unknown): Map<string, { q: Quantity; raw: unknown }> {
  const out = new Map<string, { q: Quantity; raw: unknown }>();
  if (!isObj(map)) return out;
  for (const key of Object.keys(map)) {
    const q = parseQuantity(map[key]);
    if (q) out.set(key, { q, raw: map[key] });
  }
  return out;
}

function validateResourceName(name: string, path: FieldPath, errs: RuleErrors): boolean {
  const messages = isQualifiedName(name, errs.minor);
  if (messages.length) {
    errs.invalidEach(code, path, name, messages);
    return false;
  }
  if (!name.includes('/') && !standardContainerResources.has(name) && !isHugePages(name)) {
    errs.invalid(code, path, name, 'must be a standard resource for containers');
    return false;
  }
  return true;
}

/** Validates `resources` of one container at `path`. */
export function validateResources(resources: unknown, path: FieldPath, errs: RuleErrors): void {
  if (!isObj(resources)) return;
  const r: Obj = resources;
  const limits = quantities(r.limits);
  const requests = quantities(r.requests);
  const limitsPath = path.child('limits');
  const requestsPath = path.child('requests');
  for (const [name, { q, raw }] of limits) {
    const p = limitsPath.key(name);
    if (!validateResourceName(name, p, errs)) continue;
    if (quantitySign(q) < 0) errs.invalid(code, p, formatQuantity(q), 'must be greater than or equal to 0');
    // ValidateResourceQuantityValue asks MilliValue() % 1000, which rounds up first: 0.9999 passes.
    if (isExtended(name) && milliValue(raw) % 1000 !== 0)
      errs.invalid(code, p, formatQuantity(q), 'must be an integer');
  }
  let hugePages = false;
  for (const [name, { q }] of requests) {
    const p = requestsPath.key(name);
    if (!validateResourceName(name, p, errs)) continue;
    if (quantitySign(q) < 0) errs.invalid(code, p, formatQuantity(q), 'must be greater than or equal to 0');
    if (isHugePages(name)) hugePages = true;
    const limit = limits.get(name);
    const overcommittable = !isHugePages(name) && !isExtended(name);
    // Upstream reports these two on the requests map and the limits map, not on the entry.
    if (limit) {
      if (overcommittable && compareQuantities(q, limit.q) > 0)
        errs.invalidEntry(
          code,
          requestsPath,
          formatQuantity(q),
          [`must be less than or equal to ${name} limit of ${formatQuantity(limit.q)}`],
          name,
          'value',
        );
      else if (!overcommittable && compareQuantities(q, limit.q) !== 0)
        errs.invalidEntry(
          code,
          requestsPath,
          formatQuantity(q),
          [`must be equal to ${name} limit of ${formatQuantity(limit.q)}`],
          name,
          'value',
        );
    } else if (!overcommittable) {
      errs.required(code, limitsPath, 'Limit must be set for non overcommitable resources');
    }
  }
  for (const name of limits.keys()) if (isHugePages(name)) hugePages = true;
  if (hugePages && !requests.has('cpu') && !requests.has('memory') && !limits.has('cpu') && !limits.has('memory'))
    errs.forbidden(code, path, 'HugePages require cpu or memory');
}
