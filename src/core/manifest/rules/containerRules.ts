// Containers, mirroring validateContainers, validateInitContainers, validateContainerCommon,
// validateContainerPorts, ValidateEnv and ValidateVolumeMounts in
// k8s/pkg/apis/core/validation/validation.go.
import { goQuote } from '../base/fieldError';
import { isConfigMapKey, isDNS1123Label, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from './nameFormats';
import { arr, int, isObj, obj, str, type Obj } from '../base/plainValue';
import { validateLifecycle, validateProbe } from './probeRules';
import { validateResources } from './resourceRules';
import { ruleCodes } from './ruleCodes';
import type { FieldPath, RuleErrors } from './ruleError';

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const protocols = ['SCTP', 'TCP', 'UDP'];
const messagePolicies = ['File', 'FallbackToLogsOnError'];

export interface ContainerScope {
  /** Names of the pod's volumes, for volumeMounts. */
  readonly volumes: ReadonlySet<string>;
  /** True for a Pod object, false for a pod template (a few checks apply only to Pods). */
  readonly isPod: boolean;
  readonly gracePeriod: number | undefined;
}

/** validateContainerPorts: names, numbers, protocol; names unique within the container. */
function validatePorts(ports: unknown, path: FieldPath, errs: RuleErrors): void {
  const names = new Set<string>();
  arr(ports).forEach((item, i) => {
    const port = obj(item);
    const p = path.index(i);
    const name = str(port.name);
    if (name) {
      const messages = isValidPortName(name);
      // Upstream checks for a repeat only when the name itself is valid.
      if (messages.length) errs.invalidEach(ruleCodes.port, p.child('name'), name, messages);
      else if (names.has(name)) errs.duplicate(ruleCodes.duplicateName, p.child('name'), name);
      else names.add(name);
    }
    const containerPort = int(port.containerPort);
    if (containerPort === undefined || containerPort === 0) errs.required(ruleCodes.port, p.child('containerPort'));
    else errs.invalidEach(ruleCodes.port, p.child('containerPort'), containerPort, isValidPortNum(containerPort));
    const hostPort = int(port.hostPort);
    if (hostPort !== undefined && hostPort !== 0)
      errs.invalidEach(ruleCodes.port, p.child('hostPort'), hostPort, isValidPortNum(hostPort));
    const protocol = str(port.protocol);
    if (!protocol) errs.required(ruleCodes.unsupportedValue, p.child('protocol'));
    else if (!protocols.includes(protocol))
      errs.notSupported(ruleCodes.unsupportedValue, p.child('protocol'), protocol, protocols);
  });
}

const envSources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const;

/** ValidateEnv with the relaxed names of RelaxedEnvironmentVariableValidation (on by default from 1.32). */
function validateEnv(env: unknown, path: FieldPath, errs: RuleErrors): void {
  const code = ruleCodes.env;
  const seen = new Set<string>();
  arr(env).forEach((item, i) => {
    const e = obj(item);
    const p = path.index(i);
    const name = str(e.name);
    // The server's warning (warnings.go): a repeated name that does not build on the earlier value.
    if (seen.has(name)) {
      const ref = `$(${name})`;
      const value = str(e.value);
      if (isObj(e.valueFrom) || value === ref || !value.includes(ref))
        errs.warning(
          ruleCodes.env,
          p,
          `hides previous definition of ${goQuote(name)}, which may be dropped when using apply`,
        );
    } else seen.add(name);
    if (!name) errs.required(code, p.child('name'));
    else errs.invalidEach(code, p.child('name'), name, isRelaxedEnvVarName(name));
    if (!isObj(e.valueFrom)) return;
    const from = e.valueFrom;
    const vp = p.child('valueFrom');
    const set = envSources.filter((s) => isObj(from[s]));
    // One message at most, in upstream's order (validateEnvVarValueFrom).
    if (set.length === 0 && !isObj(from.fileKeyRef))
      errs.invalid(
        code,
        vp,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      );
    else if (str(e.value)) errs.invalid(code, vp, '', 'may not be specified when `value` is not empty');
    else if (set.length > 1) errs.invalid(code, vp, '', 'may not have more than one field specified at a time');
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      if (!isObj(from[ref])) continue;
      const key = str(obj(from[ref]).key);
      const kp = vp.child(ref, 'key');
      if (!key) errs.required(code, kp);
      else errs.invalidEach(code, kp, key, isConfigMapKey(key));
    }
  });
}

/** ValidateVolumeMounts: the named volume must exist; mount paths unique; subPath and subPathExpr exclusive. */
function validateVolumeMounts(mounts: unknown, path: FieldPath, scope: ContainerScope, errs: RuleErrors): void {
  const code = ruleCodes.volume;
  const paths = new Set<string>();
  arr(mounts).forEach((item, i) => {
    const m = obj(item);
    const p = path.index(i);
    const name = str(m.name);
    // An empty name is both missing and not found, as upstream reports it.
    if (!name) errs.required(code, p.child('name'));
    if (!scope.volumes.has(name)) errs.notFound(code, p.child('name'), name);
    const mountPath = str(m.mountPath);
    if (!mountPath) errs.required(code, p.child('mountPath'));
    if (paths.has(mountPath)) errs.invalid(code, p.child('mountPath'), mountPath, 'must be unique');
    paths.add(mountPath);
    if (str(m.subPath) && str(m.subPathExpr))
      errs.invalid(code, p.child('subPathExpr'), str(m.subPathExpr), 'subPathExpr and subPath are mutually exclusive');
  });
}

/** validateContainerCommon: what every kind of container must satisfy. */
function validateContainer(c: Obj, path: FieldPath, scope: ContainerScope, errs: RuleErrors): void {
  const name = str(c.name);
  if (!name) errs.required(ruleCodes.container, path.child('name'));
  else errs.invalidEach(ruleCodes.container, path.child('name'), name, isDNS1123Label(name));
  const image = c.image;
  if (typeof image !== 'string' || image.length === 0) errs.required(ruleCodes.container, path.child('image'));
  else if (scope.isPod && image.trim() !== image)
    errs.invalid(ruleCodes.container, path.child('image'), image, 'must not have leading or trailing whitespace');
  validatePorts(c.ports, path.child('ports'), errs);
  validateEnv(c.env, path.child('env'), errs);
  validateVolumeMounts(c.volumeMounts, path.child('volumeMounts'), scope, errs);
  const policy = str(c.terminationMessagePolicy);
  if (policy && !messagePolicies.includes(policy))
    errs.notSupported(ruleCodes.unsupportedValue, path.child('terminationMessagePolicy'), policy, messagePolicies);
  const pull = str(c.imagePullPolicy);
  if (pull && !pullPolicies.includes(pull))
    errs.notSupported(ruleCodes.unsupportedValue, path.child('imagePullPolicy'), pull, pullPolicies);
  validateResources(c.resources, path.child('resources'), errs);
}

const probeKinds = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** validateContainers: at least one; unique names; probes and lifecycle; no restartPolicy on regular containers. */
export function validateContainers(
  list: unknown,
  path: FieldPath,
  scope: ContainerScope,
  errs: RuleErrors,
  taken: Set<string>,
): void {
  const containers = arr(list);
  if (containers.length === 0) {
    errs.required(ruleCodes.container, path);
    return;
  }
  containers.forEach((item, i) => {
    const c = obj(item);
    const p = path.index(i);
    validateContainer(c, p, scope, errs);
    // Upstream counts an empty name too, so two unnamed containers are also duplicates.
    const name = str(c.name);
    if (taken.has(name)) errs.duplicate(ruleCodes.duplicateName, p.child('name'), name);
    else taken.add(name);
    validateLifecycle(c.lifecycle, scope.gracePeriod, p.child('lifecycle'), errs);
    for (const kind of probeKinds) validateProbe(c[kind], kind, p.child(kind), errs);
    if (c.restartPolicy !== undefined && c.restartPolicy !== null)
      errs.forbidden(ruleCodes.restartPolicy, p.child('restartPolicy'), 'may not be set for non-init containers');
  });
}

/** validateInitContainers: regular-container rules, plus probes only for restartable (sidecar) ones. */
export function validateInitContainers(
  list: unknown,
  path: FieldPath,
  scope: ContainerScope,
  errs: RuleErrors,
  taken: Set<string>,
): void {
  arr(list).forEach((item, i) => {
    const c = obj(item);
    const p = path.index(i);
    validateContainer(c, p, scope, errs);
    const name = str(c.name);
    if (taken.has(name)) errs.duplicate(ruleCodes.duplicateName, p.child('name'), name);
    if (name) taken.add(name);
    const restart = c.restartPolicy;
    if (restart !== undefined && restart !== null && restart !== 'Always')
      errs.notSupported(ruleCodes.restartPolicy, p.child('restartPolicy'), restart, ['Always']);
    if (restart === 'Always') {
      validateLifecycle(c.lifecycle, scope.gracePeriod, p.child('lifecycle'), errs);
      for (const kind of probeKinds) validateProbe(c[kind], kind, p.child(kind), errs);
    } else {
      for (const field of ['lifecycle', ...probeKinds])
        if (c[field] !== undefined && c[field] !== null)
          errs.forbidden(
            ruleCodes.probe,
            p.child(field),
            'may not be set for init containers without restartPolicy=Always',
          );
    }
  });
}
