// Mutating admission the simulator needs for pods and the workloads that embed them:
// the apiserver's defaulting (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go)
// and the admission plugins that shape a pod's life.
// FIXME(#4): switch the defaulting half to applyDefaults(object, version) from src/core/manifest/defaults.ts.
import type { KubeObject } from '../store/objects';

/* eslint-disable @typescript-eslint/no-explicit-any -- defaulting walks loosely typed specs. */

/** SetDefaults_Probe: timeout 1 s, period 10 s, success 1, failure 3; httpGet scheme HTTP. */
function defaultProbe(probe: any): any {
  if (!probe) return probe;
  return {
    ...probe,
    ...(probe.httpGet ? { httpGet: { path: '/', scheme: 'HTTP', ...probe.httpGet } } : {}),
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    periodSeconds: probe.periodSeconds ?? 10,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/** The pull policy from the image reference: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: any): any {
  return {
    ...c,
    imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(String(c.image ?? '')),
    terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
    resources: c.resources ?? {},
    ...(c.ports ? { ports: c.ports.map((p: any) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
    ...(c.readinessProbe ? { readinessProbe: defaultProbe(c.readinessProbe) } : {}),
    ...(c.livenessProbe ? { livenessProbe: defaultProbe(c.livenessProbe) } : {}),
    ...(c.startupProbe ? { startupProbe: defaultProbe(c.startupProbe) } : {}),
  };
}

/** SetDefaults_PodSpec and SetDefaults_Container. */
export function defaultPodSpec(spec: any): any {
  return {
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    restartPolicy: spec.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
    securityContext: spec.securityContext ?? {},
    schedulerName: spec.schedulerName ?? 'default-scheduler',
    enableServiceLinks: spec.enableServiceLinks ?? true,
  };
}

function percentOrInt(value: unknown, fallback: string | number): string | number {
  return value === undefined || value === null ? fallback : (value as string | number);
}

/** SetDefaults_Deployment and SetDefaults_ReplicaSet (apps/v1). */
export function defaultWorkload(object: KubeObject): KubeObject {
  const spec = object.spec ?? {};
  const template = spec.template ? { ...spec.template, spec: defaultPodSpec(spec.template.spec ?? {}) } : spec.template;
  if (object.kind === 'Deployment') {
    const strategy = spec.strategy?.type === 'Recreate' ? { type: 'Recreate' } : {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: percentOrInt(spec.strategy?.rollingUpdate?.maxUnavailable, '25%'), maxSurge: percentOrInt(spec.strategy?.rollingUpdate?.maxSurge, '25%') },
    };
    return {
      ...object,
      spec: { ...spec, replicas: spec.replicas ?? 1, strategy, revisionHistoryLimit: spec.revisionHistoryLimit ?? 10, progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600, template },
    };
  }
  if (object.kind === 'ReplicaSet') return { ...object, spec: { ...spec, replicas: spec.replicas ?? 1, template } };
  return object;
}

/** SetDefaults_Service: ClusterIP, TCP, targetPort = port, session affinity None. */
export function defaultService(object: KubeObject, allocateIp: () => string): KubeObject {
  const spec = object.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const clusterIP = headless ? 'None' : (spec.clusterIP ?? allocateIp());
  return {
    ...object,
    spec: {
      ...spec,
      type,
      clusterIP,
      clusterIPs: [clusterIP],
      sessionAffinity: spec.sessionAffinity ?? 'None',
      internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: (spec.ports ?? []).map((p: any) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
    },
  };
}
