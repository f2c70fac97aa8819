// The pod spec, mirroring ValidatePodSpec, ValidateVolumes, validateRestartPolicy,
// validateDNSPolicy, ValidateTolerations and AccumulateUniqueHostPorts in
// k8s/pkg/apis/core/validation/validation.go, and the port warnings of
// k8s/pkg/api/pod/warnings.go. Used for Pods and for every pod template.
import { formatFieldPath } from '../base/fieldPath';
import { validateContainers, validateInitContainers } from './containerRules';
import { isDNS1123Label, isDNS1123Subdomain } from './nameFormats';
import { validateScheduling } from './schedulingRules';
import { validateAnnotations, validateLabels } from './objectMetaRules';
import { arr, int, isObj, obj, str, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import { validateVolumeModes } from './volumeModeRules';
import type { FieldPath, RuleErrors } from './ruleError';

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
/** Every volume source a pod volume can name; exactly one must be set. */
const volumeSources = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** ValidateVolumes: names (DNS-1123 label, unique) and exactly one source; returns the names. */
function validateVolumes(volumes: unknown, path: FieldPath, errs: RuleErrors): Set<string> {
  const names = new Set<string>();
  const code = ruleCodes.volume;
  arr(volumes).forEach((item, i) => {
    const v = obj(item);
    const p = path.index(i);
    const name = str(v.name);
    if (!name) errs.required(code, p.child('name'));
    else errs.invalidEach(code, p.child('name'), name, isDNS1123Label(name));
    if (name && names.has(name)) errs.duplicate(ruleCodes.duplicateName, p.child('name'), name);
    else if (name) names.add(name);
    let count = 0;
    for (const source of volumeSources) {
      if (v[source] === undefined || v[source] === null) continue;
      if (count++ > 0) errs.forbidden(code, p.child(source), 'may not specify more than 1 volume type');
      else if (source === 'persistentVolumeClaim' && !str(obj(v[source]).claimName))
        errs.required(code, p.child(source, 'claimName'));
      else if (source === 'hostPath' && !str(obj(v[source]).path)) errs.required(code, p.child(source, 'path'));
      else validateVolumeModes(source, v[source], p.child(source), errs);
    }
    if (count === 0) errs.required(code, p, 'must specify a volume type');
  });
  return names;
}

/**
 * The server's port warnings (warnings.go): the same containerPort and protocol twice in a
 * pod is accepted, with `duplicate port definition with <other port>`.
 */
function warnDuplicatePorts(spec: Obj, path: FieldPath, errs: RuleErrors): void {
  const seen = new Map<string, { path: FieldPath; hostIP: string; hostPort: number }[]>();
  const visit = (list: unknown, listPath: FieldPath) =>
    arr(list).forEach((c, ci) => {
      arr(obj(c).ports).forEach((item, pi) => {
        const port = obj(item);
        const containerPort = int(port.containerPort);
        if (containerPort === undefined) return;
        const key = `${containerPort}/${str(port.protocol) || 'TCP'}`;
        const here = {
          path: listPath.index(ci).child('ports').index(pi),
          hostIP: str(port.hostIP),
          hostPort: int(port.hostPort) ?? 0,
        };
        const others = seen.get(key) ?? [];
        for (const other of others) {
          if (other.hostIP === here.hostIP && other.hostPort === here.hostPort)
            errs.warning(ruleCodes.duplicatePort, here.path, `duplicate port definition with ${pathText(other.path)}`);
          else if (other.hostPort === 0 || here.hostPort === 0)
            errs.warning(
              ruleCodes.duplicatePort,
              here.path,
              `overlapping port definition with ${pathText(other.path)}`,
            );
        }
        others.push(here);
        seen.set(key, others);
      });
    });
  visit(spec.initContainers, path.child('initContainers'));
  visit(spec.containers, path.child('containers'));
}

function pathText(path: FieldPath): string {
  const { segments, mapKeyAt } = path.materialise();
  return formatFieldPath(segments, mapKeyAt);
}

/** AccumulateUniqueHostPorts: `<protocol>/<hostIP>/<hostPort>` unique across the regular containers. */
function validateHostPorts(containers: unknown, path: FieldPath, errs: RuleErrors): void {
  const taken = new Set<string>();
  arr(containers).forEach((c, ci) => {
    arr(obj(c).ports).forEach((item, pi) => {
      const port = obj(item);
      const hostPort = int(port.hostPort);
      if (!hostPort) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hostPort}`;
      if (taken.has(key))
        errs.duplicate(ruleCodes.port, path.index(ci).child('ports').index(pi).child('hostPort'), key);
      else taken.add(key);
    });
  });
}

export interface PodSpecScope {
  readonly isPod: boolean;
}

/** ValidatePodSpec (the parts users hit), in upstream order: volumes, containers, policies, scheduling. */
export function validatePodSpec(specValue: unknown, path: FieldPath, scope: PodSpecScope, errs: RuleErrors): void {
  if (!isObj(specValue)) return;
  const spec = specValue;
  const volumes = validateVolumes(spec.volumes, path.child('volumes'), errs);
  const gracePeriod = int(spec.terminationGracePeriodSeconds);
  const containerScope = { volumes, isPod: scope.isPod, gracePeriod };
  const names = new Set<string>();
  validateContainers(spec.containers, path.child('containers'), containerScope, errs, names);
  validateInitContainers(spec.initContainers, path.child('initContainers'), containerScope, errs, names);
  validateHostPorts(spec.containers, path.child('containers'), errs);
  const restart = str(spec.restartPolicy);
  if (!restart) errs.required(ruleCodes.restartPolicy, path.child('restartPolicy'));
  else if (!restartPolicies.includes(restart))
    errs.notSupported(ruleCodes.restartPolicy, path.child('restartPolicy'), restart, restartPolicies);
  const dns = str(spec.dnsPolicy);
  if (dns && !dnsPolicies.includes(dns))
    errs.notSupported(ruleCodes.unsupportedValue, path.child('dnsPolicy'), dns, dnsPolicies);
  if (dns === 'None' && !isObj(spec.dnsConfig))
    errs.required(ruleCodes.podSpec, path.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None');
  else if (dns === 'None' && arr(obj(spec.dnsConfig).nameservers).length === 0)
    errs.required(
      ruleCodes.podSpec,
      path.child('dnsConfig', 'nameservers'),
      'must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  validateLabels(spec.nodeSelector, path.child('nodeSelector'), errs);
  for (const field of ['serviceAccountName', 'nodeName', 'priorityClassName']) {
    const value = str(spec[field]);
    if (value) errs.invalidEach(ruleCodes.podSpec, path.child(field), value, isDNS1123Subdomain(value));
  }
  for (const field of ['hostname', 'subdomain']) {
    const value = str(spec[field]);
    if (value) errs.invalidEach(ruleCodes.podSpec, path.child(field), value, isDNS1123Label(value));
  }
  const deadline = int(spec.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > 2147483647))
    errs.invalid(
      ruleCodes.podSpec,
      path.child('activeDeadlineSeconds'),
      deadline,
      'must be between 1 and 2147483647, inclusive',
    );
  validateScheduling(spec, path, errs);
  warnDuplicatePorts(spec, path, errs);
}

/** ValidatePodTemplateSpec: the template's labels and annotations, then its pod spec. */
export function validatePodTemplate(template: unknown, path: FieldPath, errs: RuleErrors): void {
  const t = obj(template);
  const meta = obj(t.metadata);
  validateLabels(meta.labels, path.child('metadata', 'labels'), errs);
  validateAnnotations(meta.annotations, path.child('metadata', 'annotations'), errs);
  validatePodSpec(t.spec, path.child('spec'), { isPod: false }, errs);
}
