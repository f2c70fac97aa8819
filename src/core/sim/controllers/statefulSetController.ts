// The StatefulSet controller (pkg/controller/statefulset): pods with stable names
// `<set>-<ordinal>`, hostname and subdomain (the governing Service). With the default
// OrderedReady policy it creates one pod at a time, in ordinal order, each only once all
// before it are Running and Ready; scales down from the highest ordinal, one at a time;
// recreates a pod that failed or succeeded; and rolls a new template out from the highest
// ordinal down to the partition, replacing one pod at a time once all are Ready. Parallel
// creates and deletes without waiting. Events use the controller's own texts
// (`create Pod web-0 in StatefulSet web successful`). Each pod's claims from the
// volumeClaimTemplates (`<template>-<pod>`) are created before the pod, once; they stay
// when pods go (the default retention policy, Retain).
import type { StatefulSetSpec, StatefulSetStatus, Volume } from '../../base/apiObjects';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../store/kinds';
import type { SimContext } from '../client/context';
import { keyOf, objectKey, type ObjectMeta } from '../store/objects';
import { controllerLatency, controllerOf, Informer, splitKey, WorkQueue } from '../client/informer';
import { isPodAvailable, isPodReady } from '../helpers/podUtil';
import { templateHash } from './rollout';

const source = { component: 'statefulset-controller' };
const user = 'system:serviceaccount:kube-system:statefulset-controller';

export class StatefulSetController {
  private readonly sets: Informer<StatefulSet>;
  private readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  /** Pods asked for or asked to go and not yet seen so (the controller's expectations), by pod key. */
  private readonly creating = new Set<string>();
  private readonly deleting = new Set<string>();
  private readonly claims: Informer<PersistentVolumeClaim>;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'statefulset-controller'), (key) => this.sync(key));
    this.sets = ctx.informers.get('statefulsets').onChange((e) => this.queue.add(keyOf(e.object)));
    this.pods = ctx.informers.get('pods').onChange((e) => this.onPod(e.object, e.type === 'DELETED'));
    this.claims = ctx.informers.get('persistentvolumeclaims');
  }

  private onPod(pod: Pod, deleted: boolean): void {
    const owner = controllerOf(pod);
    if (!owner || owner.kind !== 'StatefulSet') return;
    const podKey = keyOf(pod);
    this.creating.delete(podKey);
    if (deleted) this.deleting.delete(podKey);
    this.queue.add(objectKey(pod.metadata.namespace, owner.name));
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const set = this.sets.get(namespace, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const spec: Partial<StatefulSetSpec> = set.spec ?? {};
    const replicas = spec.replicas ?? 1;
    const start = spec.ordinals?.start ?? 0;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const minReady = spec.minReadySeconds ?? 0;
    const now = this.ctx.engine.now();
    const revision = `${set.metadata.name}-${templateHash(spec.template)}`;

    const byOrdinal = new Map<number, Pod>();
    for (const pod of this.pods.inNamespace(namespace ?? '')) {
      if (controllerOf(pod)?.uid !== set.metadata.uid) continue;
      const ordinal = ordinalOf(set.metadata.name, pod.metadata.name);
      if (ordinal !== undefined) byOrdinal.set(ordinal, pod);
    }
    const busy = (pod: Pod) => this.creating.has(keyOf(pod)) || this.deleting.has(keyOf(pod));
    const healthy = (pod: Pod) =>
      !pod.metadata.deletionTimestamp &&
      pod.status?.phase === 'Running' &&
      isPodReady(pod) &&
      isPodAvailable(pod, minReady, now);
    // A create or delete of this set still on its way holds everything back (expectations).
    const mine = (podKey: string) => {
      const [ns, podName] = splitKey(podKey);
      return ns === namespace && ordinalOf(set.metadata.name, podName) !== undefined;
    };
    let blocked = [...this.creating].some(mine) || [...this.deleting].some(mine);

    // Pods for the wanted ordinals, in order; OrderedReady waits on each one.
    for (let ordinal = start; ordinal < start + replicas && !blocked; ordinal++) {
      const pod = byOrdinal.get(ordinal);
      if (!pod) {
        this.createPod(set, ordinal, revision);
        if (!parallel) blocked = true;
        continue;
      }
      if (pod.metadata.deletionTimestamp) {
        if (!parallel) blocked = true;
        continue;
      }
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') {
        // A pod that ended is deleted and, once gone, created again.
        this.deletePod(set, pod);
        if (!parallel) blocked = true;
        continue;
      }
      if (!parallel && !healthy(pod)) blocked = true;
    }
    // Condemned pods (ordinals no longer wanted) go from the highest ordinal down.
    const condemned = [...byOrdinal.entries()]
      .filter(([o]) => o < start || o >= start + replicas)
      .sort((a, b) => b[0] - a[0]);
    for (const [, pod] of condemned) {
      if (blocked) break;
      if (busy(pod) || pod.metadata.deletionTimestamp) {
        if (!parallel) blocked = true;
        continue;
      }
      if (!parallel && [...byOrdinal.values()].some((p) => p !== pod && !healthy(p))) {
        blocked = true;
        break;
      }
      this.deletePod(set, pod);
      if (!parallel) blocked = true;
    }
    // RollingUpdate: the highest pod on the old revision is replaced once all are healthy.
    const strategy = spec.updateStrategy ?? {};
    if (!blocked && (strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const partition = strategy.rollingUpdate?.partition ?? 0;
      const allHealthy = [...byOrdinal.values()].every(healthy);
      for (let ordinal = start + replicas - 1; ordinal >= start + partition && allHealthy; ordinal--) {
        const pod = byOrdinal.get(ordinal);
        if (!pod || pod.metadata.labels?.['controller-revision-hash'] === revision) continue;
        this.deletePod(set, pod);
        break;
      }
    }
    this.writeStatus(set, byOrdinal, revision, minReady, now);
  }

  private writeStatus(
    set: StatefulSet,
    byOrdinal: ReadonlyMap<number, Pod>,
    revision: string,
    minReady: number,
    now: number,
  ): void {
    const pods = [...byOrdinal.values()].filter((p) => !p.metadata.deletionTimestamp);
    const updated = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const old: Partial<StatefulSetStatus> & Readonly<Record<string, unknown>> = set.status ?? {};
    const currentRevision = updated === pods.length ? revision : (old.currentRevision ?? revision);
    const status = {
      observedGeneration: set.metadata.generation,
      replicas: pods.length,
      readyReplicas: pods.filter(isPodReady).length,
      currentReplicas: pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === currentRevision).length,
      updatedReplicas: updated,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
    };
    if (minReady > 0 && status.readyReplicas > status.availableReplicas)
      this.queue.addAfter(keyOf(set), minReady * 1000);
    if (Object.entries(status).every(([k, v]) => old[k] === v)) return;
    this.ctx.api.patch('statefulsets', set.metadata.namespace, set.metadata.name, (cur) => ({ ...cur, status }), user);
  }

  private createPod(set: StatefulSet, ordinal: number, revision: string): void {
    const name = `${set.metadata.name}-${ordinal}`;
    const template = set.spec!.template ?? {};
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: set.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          'apps.kubernetes.io/pod-index': String(ordinal),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': name,
        },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            name: set.metadata.name,
            uid: set.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        ...template.spec!,
        hostname: name,
        ...(set.spec!.serviceName ? { subdomain: set.spec!.serviceName } : {}),
        ...withClaimVolumes(set, template.spec?.volumes, name),
      },
    };
    const podKey = objectKey(set.metadata.namespace, name);
    this.creating.add(podKey);
    const failed = (message: string) => {
      this.creating.delete(podKey);
      this.ctx.events.record(
        source,
        set,
        'Warning',
        'FailedCreate',
        `create Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${message}`,
        { lane: 'controller-manager', node: null },
      );
    };
    // createPersistentVolumeClaims: the pod's claims first, each only if it does not exist yet.
    const claims = claimsFor(set, name);
    const next = (i: number): void => {
      if (i >= claims.length) return this.createPodObject(set, pod, podKey, failed);
      const claim = claims[i];
      const existing = this.claims.get(set.metadata.namespace, claim.metadata.name);
      if (existing)
        return existing.metadata.deletionTimestamp
          ? failed(`pvc ${claim.metadata.name} is being deleted`)
          : next(i + 1);
      this.ctx.api.create('persistentvolumeclaims', claim, user, {
        traceSteps: true,
        causes: this.ctx.api.causesOf(set),
        onDone: (_created, error) => {
          if (error && error.code !== 409) {
            this.ctx.events.record(
              source,
              set,
              'Warning',
              'FailedCreate',
              `create Claim ${claim.metadata.name} for Pod ${name} in ` +
                `StatefulSet ${set.metadata.name} failed error: ${error.message}`,
              { lane: 'controller-manager', node: null },
            );
            return failed(error.message);
          }
          if (!error)
            this.ctx.events.record(
              source,
              set,
              'Normal',
              'SuccessfulCreate',
              `create Claim ${claim.metadata.name} Pod ${name} in StatefulSet ${set.metadata.name} success`,
              { lane: 'controller-manager', node: null },
            );
          next(i + 1);
        },
      });
    };
    next(0);
  }

  private createPodObject(set: StatefulSet, pod: Pod, podKey: string, failed: (message: string) => void): void {
    const name = pod.metadata.name;
    this.ctx.api.create('pods', pod, user, {
      traceSteps: true,
      causes: this.ctx.api.causesOf(set),
      onDone: (_created, error) => {
        if (!error)
          return this.ctx.events.record(
            source,
            set,
            'Normal',
            'SuccessfulCreate',
            `create Pod ${name} in StatefulSet ${set.metadata.name} successful`,
            { lane: 'controller-manager', node: null },
          );
        failed(error.message);
      },
    });
  }

  private deletePod(set: StatefulSet, pod: Pod): void {
    const podKey = keyOf(pod);
    if (this.deleting.has(podKey)) return;
    this.deleting.add(podKey);
    this.ctx.api.delete(
      'pods',
      pod.metadata.namespace,
      pod.metadata.name,
      user,
      {},
      {
        traceSteps: true,
        causes: this.ctx.api.causesOf(set),
        onDone: (_r, error) => {
          if (!error)
            return this.ctx.events.record(
              source,
              set,
              'Normal',
              'SuccessfulDelete',
              `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
              { lane: 'controller-manager', node: null },
            );
          this.deleting.delete(podKey);
        },
      },
    );
  }
}

/** The ordinal of `<set>-<n>`, if the name has that form. */
function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}

/**
 * updateStorage: a volume per claim template, for the claim
 * `<template>-<pod>`, replacing a template volume of that name.
 */
function withClaimVolumes(
  set: StatefulSet,
  volumes: readonly Volume[] | undefined,
  podName: string,
): { volumes?: readonly Volume[] } {
  const claims = set.spec?.volumeClaimTemplates ?? [];
  if (claims.length === 0) return volumes ? { volumes } : {};
  const names = new Set(claims.map((c) => c.metadata?.name));
  const own = (volumes ?? []).filter((v) => !names.has(v.name));
  return {
    volumes: [
      ...own,
      ...claims.map((c) => ({
        name: c.metadata?.name ?? '',
        persistentVolumeClaim: { claimName: `${c.metadata?.name}-${podName}` },
      })),
    ],
  };
}

/**
 * getPersistentVolumeClaims: a claim per template, named `<template>-<pod>`, in the set's
 * namespace, with the template's labels and the selector's matchLabels over them (or the
 * matchLabels alone when the template has none).
 */
function claimsFor(set: StatefulSet, podName: string): PersistentVolumeClaim[] {
  const templates = set.spec?.volumeClaimTemplates ?? [];
  const matchLabels: Readonly<Record<string, string>> = set.spec?.selector?.matchLabels ?? {};
  return templates.map((t) => {
    const labels = t.metadata?.labels ? { ...t.metadata.labels, ...matchLabels } : { ...matchLabels };
    // A template's metadata may say `creationTimestamp: null` (kubectl writes it so); the store
    // sets the claim's own when it is created, so as an object's metadata it is what it claims.
    const metadata = {
      ...(t.metadata ?? {}),
      name: `${t.metadata?.name}-${podName}`,
      namespace: set.metadata.namespace,
      labels,
    };
    return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: metadata as ObjectMeta, spec: t.spec ?? {} };
  });
}
