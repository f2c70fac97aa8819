// The Deployment controller (pkg/controller/deployment): one ReplicaSet per template
// (`<deployment>-<pod-template-hash>`), rolling updates bounded by maxSurge and
// maxUnavailable, revisions, and the Progressing and Available conditions with the
// progress deadline.
import type { DeploymentCondition } from '../../base/apiObjects';
import { withFields } from '../../base/withFields';
import { fieldsCause } from '../../trace/model/eventCause';
import type { SimContext } from '../client/context';
import { rfc3339, virtualMsOf } from '../store/naming';
import { keyOf, objectKey } from '../store/objects';
import type { Deployment, ReplicaSet } from '../store/kinds';
import { controllerLatency, controllerOf, Informer, WorkQueue } from '../client/informer';
import { resolveFenceposts, templateHash } from './rollout';

/** What times a rollout out. */
const progressDeadlineCause = fieldsCause('spec.progressDeadlineSeconds');
const source = { component: 'deployment-controller' };
const user = 'system:serviceaccount:kube-system:deployment-controller';

export class DeploymentController {
  private readonly deployments: Informer<Deployment>;
  private readonly sets: Informer<ReplicaSet>;
  private readonly queue: WorkQueue;
  /** ReplicaSets this controller created and has not seen yet, so a sync does not create two. */
  private readonly creating = new Set<string>();
  private readonly setsByOwner = new Map<string, Set<string>>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'deployment-controller'), (key) => this.sync(key));
    this.deployments = ctx.informers.get('deployments').onChange((e) => this.queue.add(keyOf(e.object)));
    this.sets = ctx.informers.get('replicasets').onChange((e) => {
      const owner = controllerOf(e.object);
      if (owner?.kind === 'Deployment') {
        let set = this.setsByOwner.get(owner.uid);
        if (!set) this.setsByOwner.set(owner.uid, (set = new Set()));
        if (e.type === 'DELETED') set.delete(keyOf(e.object));
        else set.add(keyOf(e.object));
      }
      if (owner?.kind === 'Deployment') this.queue.add(objectKey(e.object.metadata.namespace, owner.name));
    });
  }

  private setsOf(d: Deployment): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const key of this.setsByOwner.get(d.metadata.uid!) ?? []) {
      const rs = this.sets.cache.get(key);
      if (rs && controllerOf(rs)?.uid === d.metadata.uid) out.push(rs);
    }
    return out.sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
  }

  private sync(key: string): void {
    const d = this.deployments.cache.get(key);
    if (!d || d.metadata.deletionTimestamp) return;
    const namespace = d.metadata.namespace;
    const sets = this.setsOf(d);
    const hash = templateHash(d.spec!.template, d.status?.collisionCount ?? 0);
    const newRs = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const old = sets.filter((rs) => rs !== newRs);
    const replicas = d.spec!.replicas ?? 1;
    if (!newRs) {
      const rsName = `${d.metadata.name}-${hash}`;
      if (this.creating.has(objectKey(namespace, rsName))) return;
      this.createReplicaSet(d, rsName, hash, old);
      return;
    }
    this.creating.delete(keyOf(newRs));
    if (d.spec!.paused) return this.writeStatus(d, newRs, old);
    if (d.spec!.strategy?.type === 'Recreate') this.recreate(d, newRs, old, replicas);
    else this.rollRolling(d, newRs, old, replicas);
    this.writeStatus(d, newRs, old);
  }

  private createReplicaSet(d: Deployment, rsName: string, hash: string, old: ReplicaSet[]): void {
    const replicas = d.spec!.replicas ?? 1;
    const revision = Math.max(0, ...old.map(revisionOf)) + 1;
    const { maxSurge } = resolveFenceposts(d, replicas);
    const current = old.reduce((n, rs) => n + (rs.spec!.replicas ?? 0), 0);
    // NewRSNewReplicas: with old pods, the first scale-up is bounded by the surge.
    const initial =
      d.spec!.strategy?.type === 'Recreate'
        ? current > 0
          ? 0
          : replicas
        : Math.max(0, Math.min(replicas + maxSurge - current, replicas));
    const labels = { ...(d.spec!.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: d.metadata.namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
          'deployment.kubernetes.io/revision': String(revision),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: d.metadata.name,
            uid: d.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: initial,
        minReadySeconds: d.spec!.minReadySeconds ?? 0,
        selector: {
          ...d.spec!.selector,
          matchLabels: { ...(d.spec!.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
        },
        template: { ...d.spec!.template, metadata: { ...(d.spec!.template.metadata ?? {}), labels } },
      },
    };
    this.creating.add(objectKey(d.metadata.namespace, rsName));
    this.ctx.api.create('replicasets', rs, user, {
      traceSteps: true,
      causes: this.ctx.api.causesOf(d),
      onDone: (created) => {
        if (!created) return;
        this.ctx.events.record(
          source,
          d,
          'Normal',
          'ScalingReplicaSet',
          `Scaled up replica set ${rsName} from 0 to ${initial}`,
          { lane: 'controller-manager', node: null },
        );
        this.setProgressing(d, 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, revision);
      },
    });
  }

  private scale(d: Deployment, rs: ReplicaSet, to: number): void {
    const from = rs.spec!.replicas ?? 0;
    if (from === to) return;
    const replicas = d.spec!.replicas ?? 1;
    const { maxSurge } = resolveFenceposts(d, replicas);
    this.ctx.api.update(
      'replicasets',
      {
        ...rs,
        metadata: {
          ...rs.metadata,
          annotations: {
            ...rs.metadata.annotations,
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
          },
        },
        spec: { ...rs.spec!, replicas: to },
      },
      user,
      {
        causes: this.ctx.api.causesOf(d),
        onDone: (stored) => {
          if (stored)
            this.ctx.events.record(
              source,
              d,
              'Normal',
              'ScalingReplicaSet',
              `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
              { lane: 'controller-manager', node: null },
            );
        },
      },
    );
  }

  /** rolloutRolling: reconcileNewReplicaSet, then reconcileOldReplicaSets. */
  private rollRolling(d: Deployment, newRs: ReplicaSet, old: ReplicaSet[], replicas: number): void {
    const { maxSurge, maxUnavailable } = resolveFenceposts(d, replicas);
    const all = [newRs, ...old];
    const total = all.reduce((n, rs) => n + (rs.spec!.replicas ?? 0), 0);
    const newReplicas = newRs.spec!.replicas ?? 0;
    if (newReplicas > replicas) return this.scale(d, newRs, replicas);
    if (newReplicas < replicas) {
      const scaleUp = Math.min(replicas + maxSurge - total, replicas - newReplicas);
      if (scaleUp > 0) return this.scale(d, newRs, newReplicas + scaleUp);
    }
    const oldTotal = old.reduce((n, rs) => n + (rs.spec!.replicas ?? 0), 0);
    if (oldTotal === 0) return;
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = newReplicas - (newRs.status?.availableReplicas ?? 0);
    const maxScaledDown = total - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas first, then scale down by availability.
    const budget = maxScaledDown;
    for (const rs of old) {
      const unhealthy = (rs.spec!.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
      if (budget <= 0 || unhealthy <= 0) continue;
      const down = Math.min(budget, unhealthy);
      this.scale(d, rs, (rs.spec!.replicas ?? 0) - down);
      return;
    }
    const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let toScaleDown = Math.min(available - minAvailable, budget);
    for (const rs of old) {
      if (toScaleDown <= 0) break;
      const down = Math.min(rs.spec!.replicas ?? 0, toScaleDown);
      if (down > 0) this.scale(d, rs, (rs.spec!.replicas ?? 0) - down);
      toScaleDown -= down;
    }
  }

  private recreate(d: Deployment, newRs: ReplicaSet, old: ReplicaSet[], replicas: number): void {
    const oldActive = old.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    for (const rs of old) if ((rs.spec!.replicas ?? 0) > 0) this.scale(d, rs, 0);
    if (oldActive === 0 && (newRs.spec!.replicas ?? 0) !== replicas) this.scale(d, newRs, replicas);
  }

  private writeStatus(d: Deployment, newRs: ReplicaSet, old: ReplicaSet[]): void {
    const replicas = d.spec!.replicas ?? 1;
    const { maxUnavailable } = resolveFenceposts(d, replicas);
    const all = [newRs, ...old];
    const sum = (f: (rs: ReplicaSet) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const updated = newRs.status?.replicas ?? 0;
    const now = this.ctx.engine.now();
    const complete = updated === replicas && (newRs.status?.availableReplicas ?? 0) === replicas && total === replicas;
    const conditions: DeploymentCondition[] = [...(d.status?.conditions ?? [])];
    const availableOk = available >= replicas - maxUnavailable;
    upsert(
      conditions,
      now,
      'Available',
      availableOk ? 'True' : 'False',
      availableOk ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      availableOk ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
    );
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const rsName = newRs.metadata.name;
    // getReplicaFailures: the new ReplicaSet's ReplicaFailure (else an old one's) is the Deployment's too.
    const failure = [newRs, ...old]
      .map((rs) =>
        (rs.status?.conditions as readonly DeploymentCondition[] | undefined)?.find((c) => c.type === 'ReplicaFailure'),
      )
      .find((c) => c !== undefined);
    const failureAt = conditions.findIndex((c) => c.type === 'ReplicaFailure');
    if (failure) {
      const copied = {
        type: 'ReplicaFailure',
        status: failure.status,
        lastUpdateTime: failure.lastTransitionTime,
        lastTransitionTime: failure.lastTransitionTime,
        reason: failure.reason,
        message: failure.message,
      };
      if (failureAt < 0) conditions.push(copied);
      else if (conditions[failureAt].message !== copied.message || conditions[failureAt].status !== copied.status)
        conditions[failureAt] = copied;
    } else if (failureAt >= 0) conditions.splice(failureAt, 1);
    if (complete)
      upsert(
        conditions,
        now,
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
      );
    else if (progressing?.reason !== 'ProgressDeadlineExceeded') {
      const deadline = d.spec!.progressDeadlineSeconds ?? 600;
      const changed =
        total !== (d.status?.replicas ?? -1) ||
        available !== (d.status?.availableReplicas ?? -1) ||
        updated !== (d.status?.updatedReplicas ?? -1);
      const lastUpdateMs = changed || !progressing ? now : virtualMsOf(progressing.lastUpdateTime!);
      if (lastUpdateMs + deadline * 1000 <= now) {
        upsert(
          conditions,
          now,
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          `ReplicaSet "${rsName}" has timed out progressing.`,
        );
        this.ctx.events.record(
          source,
          d,
          'Warning',
          'ProgressDeadlineExceeded',
          `Deployment "${d.metadata.name}" has timed out progressing.`,
          { lane: 'controller-manager', node: null, cause: progressDeadlineCause },
        );
        return this.ctx.engine.foreground(() => this.patchStatus(d, total, updated, available, conditions, sum));
      } else {
        if (changed || !progressing) {
          upsert(
            conditions,
            now,
            'Progressing',
            'True',
            'ReplicaSetUpdated',
            `ReplicaSet "${rsName}" is progressing.`,
            true,
          );
          // Look again when the deadline would pass; a background check that finds it passed promotes itself.
          this.queue.addAfter(keyOf(d), deadline * 1000 + 1000, true);
        }
      }
    }
    this.patchStatus(d, total, updated, available, conditions, sum);
  }

  private patchStatus(
    d: Deployment,
    total: number,
    updated: number,
    available: number,
    conditions: DeploymentCondition[],
    sum: (f: (rs: ReplicaSet) => number) => number,
  ): void {
    const status = {
      observedGeneration: d.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      ...(total - available > 0 ? { unavailableReplicas: total - available } : {}),
      conditions,
    };
    const old = d.status;
    if (
      old &&
      old.observedGeneration === status.observedGeneration &&
      old.replicas === status.replicas &&
      old.updatedReplicas === status.updatedReplicas &&
      old.readyReplicas === status.readyReplicas &&
      old.availableReplicas === status.availableReplicas &&
      old.unavailableReplicas === status.unavailableReplicas &&
      sameConditions(old.conditions, conditions)
    )
      return;
    this.ctx.api.patchObject('deployments', d, (cur) => withFields(cur, { status }), user);
  }

  private setProgressing(d: Deployment, status: string, reason: string, message: string, revision: number): void {
    const now = this.ctx.engine.now();
    this.ctx.api.patch(
      'deployments',
      d.metadata.namespace,
      d.metadata.name,
      (cur) => {
        const conditions = [...(cur.status?.conditions ?? [])];
        upsert(conditions, now, 'Progressing', status, reason, message);
        return {
          ...cur,
          metadata: {
            ...cur.metadata,
            annotations: { ...cur.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision) },
          },
          status: { ...cur.status, conditions },
        };
      },
      user,
    );
  }
}

function sameConditions(a: readonly DeploymentCondition[] | undefined, b: readonly DeploymentCondition[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every(
    (c, i) =>
      c.type === b[i].type &&
      c.status === b[i].status &&
      c.reason === b[i].reason &&
      c.message === b[i].message &&
      c.lastUpdateTime === b[i].lastUpdateTime,
  );
}

function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}

/** Sets a condition; lastTransitionTime changes only with the status, lastUpdateTime with any change. */
function upsert(
  conditions: DeploymentCondition[],
  now: number,
  type: string,
  status: string,
  reason: string,
  message: string,
  keepTransition = false,
): void {
  const i = conditions.findIndex((c) => c.type === type);
  const prev = conditions[i];
  if (prev && prev.status === status && prev.reason === reason && prev.message === message) return;
  const time = rfc3339(now);
  const next = {
    type,
    status,
    lastUpdateTime: time,
    lastTransitionTime: prev && (prev.status === status || keepTransition) ? prev.lastTransitionTime : time,
    reason,
    message,
  };
  if (i < 0) conditions.push(next);
  else conditions[i] = next;
}
