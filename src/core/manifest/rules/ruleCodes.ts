// Finding codes of layer 3, the apiserver rules the OpenAPI schema does not carry. One code
// per family of rules, so a user can look a code up once and recognise it everywhere; the
// message of each finding is the apiserver's own field.Error text.
import type { FindingCodeInfo } from '../../base/finding';

export const ruleCodes = {
  /** metadata.name, generateName, namespace, and other object names that fail their DNS rule. */
  invalidName: 'PT3001',
  /** Label and annotation keys and values, annotation size, nodeSelector and selector maps. */
  invalidLabel: 'PT3002',
  /** A workload selector that is missing, empty, or does not match its template's labels. */
  selector: 'PT3003',
  /** A container, init container, volume or port name used twice. */
  duplicateName: 'PT3004',
  /** A port number outside 1–65535 or a port name that is not an IANA service name. */
  port: 'PT3005',
  /** A probe or lifecycle handler with no handler, more than one, or bad numbers. */
  probe: 'PT3006',
  /** Requests greater than limits and other resource rules. */
  resources: 'PT3007',
  /** Service ports, type, clusterIP, nodePort and externalName rules. */
  service: 'PT3008',
  /** A restartPolicy the kind does not allow. */
  restartPolicy: 'PT3009',
  /** Containers: none at all, or one without a name or an image. */
  container: 'PT3010',
  /** Volumes and volume mounts: sources, and mounts that name no volume. */
  volume: 'PT3011',
  /** Environment variables: names and value sources. */
  env: 'PT3012',
  /** Ingress rules, paths, backends and TLS hosts. */
  ingress: 'PT3013',
  /** Workload spec fields: replicas, strategies, deadlines, Job and CronJob fields. */
  workload: 'PT3014',
  /** ConfigMap and Secret keys, sizes and typed Secret contents. */
  configData: 'PT3015',
  /** An enum field with a value the apiserver does not support (pull policy, protocol, DNS policy, …). */
  unsupportedValue: 'PT3016',
  /** Other pod spec rules: tolerations, hostname, DNS config, security context ranges. */
  podSpec: 'PT3017',
  /** The same containerPort and protocol declared twice: accepted with a warning. */
  duplicatePort: 'PT3018',
  /** A PriorityClass whose value or name the apiserver reserves, or whose preemptionPolicy it does not know. */
  priorityClass: 'PT3019',
} as const;

export type RuleCode = (typeof ruleCodes)[keyof typeof ruleCodes];

export const ruleFindingCodes: readonly FindingCodeInfo[] = [
  { code: ruleCodes.invalidName, layer: 'apiserver', title: 'invalid object name' },
  { code: ruleCodes.invalidLabel, layer: 'apiserver', title: 'invalid label or annotation' },
  {
    code: ruleCodes.selector,
    layer: 'apiserver',
    title: 'selector missing, empty or not matching the template labels',
  },
  { code: ruleCodes.duplicateName, layer: 'apiserver', title: 'duplicate name' },
  { code: ruleCodes.port, layer: 'apiserver', title: 'port number or port name invalid' },
  { code: ruleCodes.probe, layer: 'apiserver', title: 'probe or lifecycle handler invalid' },
  { code: ruleCodes.resources, layer: 'apiserver', title: 'requests exceed limits or resource invalid' },
  { code: ruleCodes.service, layer: 'apiserver', title: 'Service spec invalid' },
  { code: ruleCodes.restartPolicy, layer: 'apiserver', title: 'restartPolicy not allowed for the kind' },
  { code: ruleCodes.container, layer: 'apiserver', title: 'container missing, or without name or image' },
  { code: ruleCodes.volume, layer: 'apiserver', title: 'volume or volume mount invalid' },
  { code: ruleCodes.env, layer: 'apiserver', title: 'environment variable invalid' },
  { code: ruleCodes.ingress, layer: 'apiserver', title: 'Ingress spec invalid' },
  { code: ruleCodes.workload, layer: 'apiserver', title: 'workload spec field invalid' },
  { code: ruleCodes.configData, layer: 'apiserver', title: 'ConfigMap or Secret data invalid' },
  { code: ruleCodes.unsupportedValue, layer: 'apiserver', title: 'unsupported enum value' },
  { code: ruleCodes.podSpec, layer: 'apiserver', title: 'pod spec field invalid' },
  { code: ruleCodes.duplicatePort, layer: 'apiserver', title: 'duplicate container port (warning)' },
  { code: ruleCodes.priorityClass, layer: 'apiserver', title: 'PriorityClass value, name or preemptionPolicy invalid' },
];
