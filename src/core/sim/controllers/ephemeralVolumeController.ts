// The ephemeral volume controller (pkg/controller/volume/ephemeral): for each generic
// ephemeral volume of a pod (`volumes[].ephemeral.volumeClaimTemplate`) it creates the claim
// `<pod>-<volume>` from the template, owned by the pod, so that the claim is bound like any
// other and goes with the pod (the garbage collector follows the owner reference). A claim of
// that name not owned by the pod is left alone: the scheduler refuses the pod.
import type { PersistentVolumeClaimSpec, TemplateMeta, Volume } from '../../base/apiObjects';
import type { SimContext } from '../client/context';
import { keyOf } from '../store/objects';
import type { PersistentVolumeClaim, Pod } from '../store/kinds';
import { controllerLatency, Informer, splitKey, WorkQueue } from '../client/informer';
import { isPodTerminal } from '../helpers/podUtil';
import { podClaims } from '../helpers/volumeUtil';

const source = { component: 'ephemeral_volume' };
const user = 'system:serviceaccount:kube-system:ephemeral-volume-controller';

export class EphemeralVolumeController {
  private readonly pods: Informer<Pod>;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly queue: WorkQueue;
  /** Claims asked for and not yet seen. */
  private readonly creating = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'ephemeral-volume-controller'), (key) =>
      this.sync(key),
    );
    this.pods = ctx.informers.get('pods').onChange((e) => {
      if (e.type === 'ADDED' && podClaims(e.object).some((c) => c.ephemeral)) this.queue.add(keyOf(e.object));
    });
    this.claims = ctx.informers.get('persistentvolumeclaims');
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod || pod.metadata.deletionTimestamp || isPodTerminal(pod)) return;
    for (const claim of podClaims(pod)) {
      if (!claim.ephemeral) continue;
      const claimKey = `${namespace}/${claim.name}`;
      if (this.claims.get(namespace, claim.name) || this.creating.has(claimKey)) continue;
      const volume = (pod.spec?.volumes ?? []).find((v: Volume) => v.name === claim.volume);
      const template: { readonly metadata?: TemplateMeta; readonly spec?: PersistentVolumeClaimSpec } =
        volume?.ephemeral?.volumeClaimTemplate ?? {};
      const object: PersistentVolumeClaim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claim.name,
          namespace,
          ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
          ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'Pod',
              name: pod.metadata.name,
              uid: pod.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: template.spec ?? {},
      };
      this.creating.add(claimKey);
      this.ctx.api.create('persistentvolumeclaims', object, user, {
        traceSteps: true,
        causes: this.ctx.api.causesOf(pod),
        onDone: (_created, error) => {
          this.creating.delete(claimKey);
          if (error)
            this.ctx.events.record(source, pod, 'Warning', 'FailedBinding', `PVC creation failed: ${error.message}`, {
              lane: 'controller-manager',
              node: null,
              cause: { kind: 'volume', volume: claim.volume },
            });
        },
      });
    }
  }
}
