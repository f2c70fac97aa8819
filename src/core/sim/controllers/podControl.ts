// RealPodControl and slowStartBatch (pkg/controller/controller_utils.go), shared by the
// controllers that make pods from a template: creates go through the apiserver in batches of
// 1, 2, 4, ..., each batch once every create of the one before succeeded, and each create or
// delete is reported on the owner as `Created pod: <name>` / `Deleted pod: <name>` (or
// `FailedCreate` with the apiserver's error).
import type { PodTemplateSpec } from '../../base/apiObjects';
import type { EventCause } from '../../trace/model/eventCause';
import type { SimContext } from '../client/context';
import type { ApiError } from '../store/apiError';
import type { Pod } from '../store/kinds';
import type { KubeObject, OwnerReference } from '../store/objects';

export class PodControl {
  constructor(
    private readonly ctx: SimContext,
    private readonly source: { readonly component: string },
    private readonly user: string,
  ) {}

  /** The controller reference a pod of `owner` carries. */
  static ownerReference(owner: KubeObject): OwnerReference {
    return {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  /** GetPodFromTemplate: a pod named `<owner>-<5 chars>` with the template's labels, annotations and spec. */
  static podFromTemplate(
    owner: KubeObject,
    template: PodTemplateSpec | undefined,
    finalizers?: readonly string[],
  ): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${owner.metadata.name}-`,
        namespace: owner.metadata.namespace,
        labels: template?.metadata?.labels,
        ...(template?.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ...(finalizers ? { finalizers } : {}),
        ownerReferences: [PodControl.ownerReference(owner)],
      },
      spec: template?.spec,
    };
  }

  /**
   * Creates `count` pods, the i-th built by `podAt(i)`, in slow-start batches. `unmet(n)` hears
   * of creates that failed, and of those skipped because a batch failed, so the caller's
   * expectations stop waiting for them; `failedWith` hears the first error of a failed batch.
   * `cause` is what in the owner decided the count (a Job's parallelism or completions).
   */
  createInBatches(
    owner: KubeObject,
    count: number,
    podAt: (index: number) => Pod,
    unmet: (n: number) => void,
    failedWith?: (error: ApiError) => void,
    cause?: EventCause,
  ): void {
    let next = 0;
    const batch = (size: number): void => {
      let pending = size;
      let batchFailed = false;
      for (let i = 0; i < size; i++) {
        this.ctx.api.create('pods', podAt(next++), this.user, {
          traceSteps: true,
          causes: this.ctx.api.causesOf(owner),
          onDone: (created, error) => {
            if (created)
              this.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, cause);
            else if (error) {
              if (!batchFailed) failedWith?.(error);
              batchFailed = true;
              unmet(1);
              this.record(owner, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, cause);
            }
            if (--pending > 0 || next >= count) return;
            if (!batchFailed) return batch(Math.min(count - next, size * 2));
            unmet(count - next);
            next = count;
          },
        });
      }
    };
    if (count > 0) batch(1);
  }

  /** Deletes a pod of `owner` (gracefully, as any client would); `cause` is what in the owner decided it. */
  deletePod(
    owner: KubeObject,
    pod: KubeObject,
    onDone?: (error: ApiError | undefined) => void,
    cause?: EventCause,
  ): void {
    this.ctx.api.delete(
      'pods',
      pod.metadata.namespace,
      pod.metadata.name,
      this.user,
      {},
      {
        traceSteps: true,
        causes: this.ctx.api.causesOf(owner),
        onDone: (_result, error) => {
          if (!error) this.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, cause);
          onDone?.(error);
        },
      },
    );
  }

  private record(
    owner: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    cause: EventCause | undefined,
  ): void {
    this.ctx.events.record(this.source, owner, type, reason, message, {
      lane: 'controller-manager',
      node: null,
      cause,
    });
  }
}
