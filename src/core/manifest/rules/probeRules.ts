// Probes and lifecycle handlers, mirroring validateProbe, validateHandler,
// validateLivenessProbe / validateReadinessProbe / validateStartupProbe and
// validateLifecycle in k8s/pkg/apis/core/validation/validation.go.
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from './nameFormats';
import { arr, int, intOrString, isObj, obj, str, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import type { FieldPath, RuleErrors } from './ruleError';

const code = ruleCodes.probe;
/** The order upstream checks handler fields in; the second and later ones are Forbidden. */
const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const lifecycleHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

/** ValidatePortNumOrName: an int in 1–65535 or an IANA service name. */
export function validatePortNumOrName(value: unknown, path: FieldPath, errs: RuleErrors): void {
  const port = intOrString(value);
  if (!port) return;
  if (port.kind === 'int') errs.invalidEach(ruleCodes.port, path, port.value, isValidPortNum(port.value));
  else errs.invalidEach(ruleCodes.port, path, port.value, isValidPortName(port.value));
}

function validateHTTPGet(action: Obj, path: FieldPath, errs: RuleErrors): void {
  if (!str(action.path)) errs.required(code, path.child('path'));
  validatePortNumOrName(action.port, path.child('port'), errs);
  const scheme = str(action.scheme);
  if (scheme && scheme !== 'HTTP' && scheme !== 'HTTPS')
    errs.notSupported(ruleCodes.unsupportedValue, path.child('scheme'), scheme, ['HTTP', 'HTTPS']);
  // Reported on the list path, not the header's index (validateHTTPGetAction).
  for (const h of arr(action.httpHeaders)) {
    const name = str(obj(h).name);
    errs.invalidEach(code, path.child('httpHeaders'), name, isHTTPHeaderName(name));
  }
}

/** validateHandler: exactly one handler, then the checks of the one(s) present. */
function validateHandler(handler: Obj, kinds: readonly string[], path: FieldPath, errs: RuleErrors): void {
  let count = 0;
  for (const kind of kinds) {
    const action = handler[kind];
    if (!isObj(action)) continue;
    if (count > 0) {
      errs.forbidden(code, path.child(kind), 'may not specify more than 1 handler type');
      continue;
    }
    count++;
    const p = path.child(kind);
    if (kind === 'exec' && arr(action.command).length === 0) errs.required(code, p.child('command'));
    else if (kind === 'httpGet') validateHTTPGet(action, p, errs);
    else if (kind === 'tcpSocket') validatePortNumOrName(action.port, p.child('port'), errs);
    else if (kind === 'grpc') {
      const port = int(action.port);
      if (port !== undefined) errs.invalidEach(ruleCodes.port, p.child('port'), port, isValidPortNum(port));
    }
  }
  if (count === 0) errs.required(code, path, 'must specify a handler type');
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

/** validateProbe plus the per-kind rules (successThreshold 1, no readiness grace period). */
export function validateProbe(probe: unknown, kind: ProbeKind, path: FieldPath, errs: RuleErrors): void {
  if (!isObj(probe)) return;
  validateHandler(probe, probeHandlers, path, errs);
  for (const field of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    const value = int(probe[field]);
    if (value !== undefined && value < 0)
      errs.invalid(code, path.child(field), value, 'must be greater than or equal to 0');
  }
  const grace = int(probe.terminationGracePeriodSeconds);
  if (grace !== undefined && grace <= 0)
    errs.invalid(code, path.child('terminationGracePeriodSeconds'), grace, 'must be greater than 0');
  if (kind !== 'readinessProbe') {
    const success = int(probe.successThreshold);
    if (success !== undefined && success !== 1)
      errs.invalid(code, path.child('successThreshold'), success, 'must be 1');
  } else if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.invalid(
      code,
      path.child('terminationGracePeriodSeconds'),
      probe.terminationGracePeriodSeconds,
      'must not be set for readinessProbes',
    );
  }
}

/** validateLifecycle: postStart and preStop each need exactly one handler; sleep within the grace period. */
export function validateLifecycle(
  lifecycle: unknown,
  gracePeriod: number | undefined,
  path: FieldPath,
  errs: RuleErrors,
): void {
  if (!isObj(lifecycle)) return;
  for (const hook of ['postStart', 'preStop']) {
    const handler = lifecycle[hook];
    if (!isObj(handler)) continue;
    validateHandler(handler, lifecycleHandlers, path.child(hook), errs);
    const seconds = int(obj(handler.sleep).seconds);
    if (seconds !== undefined && gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod))
      errs.invalid(
        code,
        path.child(hook, 'sleep', 'seconds'),
        seconds,
        `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`,
      );
  }
}
