// Carries out one scenario action on a running cluster, through the same apiserver that
// users and controllers write through; node and consumer faults act on the components.
import type { Container, PodTemplateSpec } from '../../base/apiObjects';
import type { SimCluster } from '../cluster';
import { resourceForKind, type KubeObject } from '../store/objects';
import { cordon, drain } from './drain';
import { mergePatch, type ScenarioAction } from './scenario';
import { hasScale, updateRejection } from './scenarioAdmission';
import { ScenarioError } from './scenarioFields';
import { traceScenario } from './scenarioTrace';

const user = 'kubernetes-admin';

function note(cluster: SimCluster, message: string, object?: KubeObject): number {
  return traceScenario(cluster, message, { object });
}

/** An action that cannot be carried out on this cluster: the action, its line and the field, as parsing says them. */
function refused(action: ScenarioAction, field: string, message: string): ScenarioError {
  const origin = action.origin;
  return new ScenarioError(`${origin ? `action ${origin.action}: ` : ''}${field}: ${message}`, origin?.line);
}

/** As the apiserver answers a kind it does not serve (kubectl: the server doesn't have a resource type). */
function resourceOf(action: ScenarioAction & { readonly target: { readonly kind: string } }) {
  const info = resourceForKind(action.target.kind);
  if (!info)
    throw refused(action, `${action.type}.kind`, `the server doesn't have a resource type "${action.target.kind}"`);
  return info;
}

/** The kubelet of a node a fault names; a node the cluster does not have is the action's error. */
function kubeletOf(cluster: SimCluster, action: ScenarioAction & { readonly node: string }) {
  const kubelet = cluster.kubelets.get(action.node);
  if (kubelet) return kubelet;
  const names = [...cluster.kubelets.keys()];
  const known =
    names.length === 0
      ? 'the cluster has no nodes'
      : `the cluster's nodes are ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length})` : ''}`;
  throw refused(action, action.type, `nodes "${action.node}" not found (${known})`);
}

/**
 * Plays a scenario on the cluster: each action runs at its virtual time, through the same
 * apiserver and components as everything else. The runner drives the cluster; the cluster
 * knows nothing of scenarios.
 */
export function scheduleScenario(cluster: SimCluster, actions: readonly ScenarioAction[]): void {
  for (const action of actions) cluster.engine.at(action.at as never, () => runScenarioAction(cluster, action));
}

export function runScenarioAction(cluster: SimCluster, action: ScenarioAction): void {
  const ctx = cluster.ctx;
  switch (action.type) {
    case 'apply':
      note(cluster, `apply ${action.objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
      cluster.apply(action.objects as KubeObject[]);
      return;
    case 'delete': {
      const info = resourceOf(action);
      const ns = info.namespaced ? (action.target.namespace ?? 'default') : undefined;
      const id = note(cluster, `delete ${action.target.kind}/${action.target.name}`);
      ctx.api.delete(
        info.resource,
        ns,
        action.target.name,
        user,
        { gracePeriodSeconds: action.gracePeriodSeconds, propagationPolicy: action.propagationPolicy },
        { traceSteps: true, causes: [id] },
      );
      return;
    }
    case 'patch':
    case 'setImage':
    case 'scale': {
      const info = resourceOf(action);
      const ns = info.namespaced ? (action.target.namespace ?? 'default') : undefined;
      const current = ctx.store.get(info.resource, ns, action.target.name);
      if (!current) {
        note(cluster, `${action.type}: ${action.target.kind}/${action.target.name} not found`);
        return;
      }
      let next: KubeObject;
      // Scale and set-image act on a workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job): the
      // checks below refuse any kind without these fields, so the view only names them for the types.
      const spec = current.spec as { readonly replicas?: number; readonly template?: PodTemplateSpec } | undefined;
      // A mapping merged into an object is an object; the apiserver validates what it became.
      if (action.type === 'patch') next = mergePatch(current, action.merge) as KubeObject;
      else if (action.type === 'scale') {
        if (!hasScale(current.kind))
          throw refused(
            action,
            'scale.kind',
            `${current.kind}/${current.metadata.name} cannot be scaled: ` +
              `no scaler has been implemented for ${current.kind}`,
          );
        next = { ...current, spec: { ...spec, replicas: action.replicas } };
      } else {
        const template = spec?.template?.spec;
        if (!Array.isArray(template?.containers))
          throw refused(
            action,
            'setImage.kind',
            `${current.kind}/${current.metadata.name}: the object is not a pod or does not have a pod template`,
          );
        if (action.container !== undefined && !template.containers.some((c: Container) => c.name === action.container))
          throw refused(action, 'setImage.container', `unable to find container named "${action.container}"`);
        const containers = template.containers.map((c: Container, i: number) =>
          (action.container ? c.name === action.container : i === 0) ? { ...c, image: action.image } : c,
        );
        next = {
          ...current,
          spec: { ...spec, template: { ...spec!.template, spec: { ...template, containers } } },
        };
      }
      // What kubectl would send, the apiserver checks: an object it would refuse is the action's error.
      const rejection = updateRejection(current, next, ctx.version);
      if (rejection !== undefined)
        throw refused(action, action.type === 'patch' ? 'patch.merge' : action.type, rejection);
      const id = note(
        cluster,
        action.type === 'setImage'
          ? `set image ${action.target.kind}/${action.target.name} ${action.container ?? 'container 0'}=${action.image}`
          : action.type === 'scale'
            ? `scale ${action.target.kind}/${action.target.name} --replicas=${action.replicas}`
            : `patch ${action.target.kind}/${action.target.name}`,
        current,
      );
      ctx.api.update(info.resource, next, user, { traceSteps: true, causes: [id] });
      return;
    }
    case 'addNode': {
      const config = cluster.nextNodeConfig(action);
      if (cluster.kubelets.has(config.name))
        throw refused(action, 'addNode.name', `nodes "${config.name}" already exists`);
      note(cluster, `add node ${config.name}`);
      cluster.startNode(config);
      return;
    }
    case 'failNode':
      kubeletOf(cluster, action).fail();
      return;
    case 'recoverNode':
      kubeletOf(cluster, action).recover();
      return;
    case 'drain':
      drain(
        cluster,
        action,
        note(
          cluster,
          `kubectl drain ${action.node}${action.ignoreDaemonSets ? ' --ignore-daemonsets' : ''}` +
            `${action.force ? ' --force' : ''}${action.deleteEmptyDirData ? ' --delete-emptydir-data' : ''}`,
        ),
      );
      return;
    case 'cordon':
    case 'uncordon':
      cordon(cluster, action.node, action.type === 'cordon', note(cluster, `kubectl ${action.type} ${action.node}`));
      return;
    case 'cutWatch': {
      const consumer = cluster.consumers.find(action.consumer);
      if (!consumer) {
        const names = cluster.consumers.consumers.map((c) => c.policy.name).join(', ');
        throw refused(
          action,
          'cutWatch',
          `no endpoint consumer named "${action.consumer}" (the cluster's are ${names})`,
        );
      }
      consumer.cutWatch();
      if (action.forMs !== undefined)
        cluster.engine.after(action.forMs, () => consumer.restoreWatch(cluster.consumers.serviceKeys()));
      return;
    }
    case 'failProbe': {
      const pattern = new RegExp(`^${action.pod.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      let hit = 0;
      for (const kubelet of cluster.kubelets.values()) {
        for (const w of kubelet.podsOf()) {
          if (!pattern.test(w.pod.metadata.name) || w.pod.metadata.namespace !== action.namespace) continue;
          kubelet.setProbesFailing(w.pod.metadata.name, action.namespace, action.container, true);
          hit++;
          if (action.forMs !== undefined)
            cluster.engine.after(action.forMs, () =>
              kubelet.setProbesFailing(w.pod.metadata.name, action.namespace, action.container, false),
            );
        }
      }
      note(
        cluster,
        `probes of ${hit} pod(s) matching ${action.namespace}/${action.pod} now ` +
          `fail${action.forMs !== undefined ? ` for ${action.forMs / 1000}s` : ''}`,
      );
      return;
    }
    case 'missingImage':
      cluster.missingImages.add(action.image);
      note(cluster, `registry no longer serves ${action.image}`);
      return;
  }
}
