// `kubectl drain` and `kubectl uncordon` as scenario actions, through the apiserver as kubectl
// does them (staging/src/k8s.io/kubectl/pkg/drain): cordon the node (spec.unschedulable), check
// every pod on it against drain's filters (DaemonSet-managed pods are skipped with
// ignoreDaemonSets, the default here; pods that declare no controller need force, pods with
// emptyDir volumes deleteEmptyDirData), then evict each pod through the eviction subresource,
// retrying every 5 s while a PodDisruptionBudget refuses (429), and wait for each to be gone.
// kubectl's output lines are the trace's: `node/node-1 cordoned`, `evicting pod default/web-x`,
// `error when evicting pods/"web-x" -n "default" (will retry after 5s): ...`, `pod/web-x
// evicted`, `node/node-1 drained`.
import type { Volume } from '../../base/apiObjects';
import type { SimCluster } from '../cluster';
import { controllerOf } from '../client/informer';
import type { KubeObject } from '../store/objects';
import { traceScenario } from './scenarioTrace';

const user = 'kubernetes-admin';
const retryMs = 5000;
/** waitForDelete polls every second. */
const pollMs = 1000;

export interface DrainOptions {
  readonly node: string;
  readonly ignoreDaemonSets: boolean;
  readonly force: boolean;
  readonly deleteEmptyDirData: boolean;
}

/** One of kubectl's lines, as a `Drain` event. */
function say(
  cluster: SimCluster,
  object: KubeObject | undefined,
  message: string,
  cause?: number,
  severity: 'Normal' | 'Warning' = 'Normal',
): number {
  return traceScenario(cluster, message, { object, reason: 'Drain', severity, cause });
}

/** Sets spec.unschedulable and says so as kubectl does; `then` runs once the node is written. */
export function cordon(
  cluster: SimCluster,
  nodeName: string,
  unschedulable: boolean,
  cause: number | undefined,
  then?: (node: KubeObject, id: number) => void,
): void {
  const ctx = cluster.ctx;
  if (!ctx.store.get('nodes', undefined, nodeName)) {
    say(cluster, undefined, `Error from server (NotFound): nodes "${nodeName}" not found`, cause, 'Warning');
    return;
  }
  ctx.api.patch(
    'nodes',
    undefined,
    nodeName,
    (cur) =>
      Boolean(cur.spec?.unschedulable) === unschedulable ? cur : { ...cur, spec: { ...cur.spec, unschedulable } },
    user,
    {
      onDone: (node) => {
        if (!node) return;
        const id = say(cluster, node, `node/${nodeName} ${unschedulable ? 'cordoned' : 'uncordoned'}`, cause);
        cluster.kubelets.get(nodeName)?.schedulableChanged(unschedulable);
        then?.(node, id);
      },
    },
  );
}

export function drain(cluster: SimCluster, options: DrainOptions, cause: number | undefined): void {
  cordon(cluster, options.node, true, cause, (node, cordoned) => {
    const ctx = cluster.ctx;
    const pods = ctx.store.list('pods').filter((p) => p.spec?.nodeName === options.node);
    const name = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;
    const daemon = pods.filter((p) => controllerOf(p)?.kind === 'DaemonSet');
    const unmanaged = pods.filter((p) => !controllerOf(p));
    const local = pods.filter(
      (p) =>
        (p.spec?.volumes ?? []).some((v: Volume) => v.emptyDir !== undefined) && controllerOf(p)?.kind !== 'DaemonSet',
    );
    const errors: string[] = [];
    if (daemon.length > 0 && !options.ignoreDaemonSets)
      errors.push(
        `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${daemon.map(name).join(', ')}`,
      );
    // kubectl 1.32–1.35 really say "cannot delete" twice here.
    if (unmanaged.length > 0 && !options.force)
      errors.push(
        'cannot delete cannot delete Pods that declare no controller ' +
          `(use --force to override): ${unmanaged.map(name).join(', ')}`,
      );
    if (local.length > 0 && !options.deleteEmptyDirData)
      errors.push(
        `cannot delete Pods with local storage (use --delete-emptydir-data to override): ${local.map(name).join(', ')}`,
      );
    if (errors.length > 0) {
      const error = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
      say(
        cluster,
        node,
        `error: unable to drain node "${options.node}" due to error: ${error}, ` +
          `continuing command... There are pending nodes to be drained: ${options.node}`,
        cordoned,
        'Warning',
      );
      return;
    }
    if (daemon.length > 0)
      say(
        cluster,
        node,
        `Warning: ignoring DaemonSet-managed Pods: ${daemon.map(name).join(', ')}`,
        cordoned,
        'Warning',
      );
    const evicting = pods.filter((p) => controllerOf(p)?.kind !== 'DaemonSet');
    let left = evicting.length;
    const oneDone = () => {
      if (--left === 0) say(cluster, node, `node/${options.node} drained`, cordoned);
    };
    if (left === 0) return void say(cluster, node, `node/${options.node} drained`, cordoned);
    for (const pod of evicting) evict(cluster, pod, cordoned, oneDone);
  });
}

/** One pod: eviction, retried every 5 s on 429, then a wait until the pod (this uid) is gone. */
function evict(cluster: SimCluster, pod: KubeObject, cause: number, done: () => void): void {
  const ctx = cluster.ctx;
  const ns = pod.metadata.namespace!;
  const podName = pod.metadata.name;
  const uid = pod.metadata.uid;
  const id = say(cluster, pod, `evicting pod ${ns}/${podName}`, cause);
  const attempt = (): void => {
    ctx.api.evict(ns, podName, user, {
      causes: [id],
      onDone: (_result, error) => {
        if (error && error.code === 429) {
          say(
            cluster,
            pod,
            `error when evicting pods/"${podName}" -n "${ns}" (will retry after 5s): ${error.message}`,
            id,
            'Warning',
          );
          cluster.engine.after(retryMs, attempt);
          return;
        }
        if (error && error.code !== 404) {
          say(cluster, pod, `error when evicting pods/"${podName}" -n "${ns}": ${error.message}`, id, 'Warning');
          return;
        }
        waitGone();
      },
    });
  };
  const waitGone = (): void => {
    const current = ctx.store.get('pods', ns, podName);
    if (!current || current.metadata.uid !== uid) {
      say(cluster, pod, `pod/${podName} evicted`, id);
      return done();
    }
    cluster.engine.after(pollMs, waitGone);
  };
  attempt();
}
