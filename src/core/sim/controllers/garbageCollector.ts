// The garbage collector (pkg/controller/garbagecollector): it keeps a graph of owner
// uids to dependents from watches; when an owner is gone its dependents are deleted in the
// background; an owner deleted in the foreground keeps its `foregroundDeletion`
// finalizer until the dependents that block it are gone; `orphan` strips the references.
import type { SimContext } from '../client/context';
import { keyOf } from '../store/objects';
import { controllerLatency, splitKey, WorkQueue } from '../client/informer';

const user = 'system:serviceaccount:kube-system:generic-garbage-collector';
const watched = [
  'deployments',
  'replicasets',
  'daemonsets',
  'statefulsets',
  'cronjobs',
  'jobs',
  'pods',
  'services',
  'endpointslices',
  'persistentvolumeclaims',
] as const;

interface Node {
  readonly resource: string;
  readonly key: string;
}

export class GarbageCollector {
  private readonly dependents = new Map<string, Map<string, Node>>();
  /** Every object watched, by uid: where to find it (its current version is in the informer's cache). */
  private readonly owners = new Map<string, Node>();

  private readonly queue: WorkQueue;

  private dependentsOf(owner: string): Map<string, Node> {
    let deps = this.dependents.get(owner);
    if (!deps) this.dependents.set(owner, (deps = new Map()));
    return deps;
  }

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'garbage-collector'), (uid) => this.process(uid));
    for (const resource of watched) {
      ctx.informers.get(resource).onChange((e, old) => {
        const refs = e.object.metadata.ownerReferences;
        // A change that keeps the owner references and deletes nothing leaves the graph as it is
        // (the status writes that make up most changes).
        if (
          e.type === 'MODIFIED' &&
          old !== undefined &&
          old.metadata.ownerReferences === refs &&
          !e.object.metadata.deletionTimestamp
        )
          return;
        const uid = e.object.metadata.uid!;
        if (e.type === 'DELETED') {
          for (const ref of refs ?? []) {
            this.dependents.get(ref.uid)?.delete(uid);
            this.queue.add(ref.uid);
          }
          this.owners.delete(uid);
          if (this.dependents.get(uid)?.size) this.queue.add(uid);
          return;
        }
        const existing = this.owners.get(uid);
        if (!existing) {
          const node = { resource, key: keyOf(e.object) };
          this.owners.set(uid, node);
          for (const ref of refs ?? []) this.dependentsOf(ref.uid).set(uid, node);
        } else {
          // The graph follows owner references as they change (an adoption adds one, orphaning removes one).
          const before = old?.metadata.ownerReferences;
          if (before !== refs) {
            for (const ref of before ?? [])
              if (!refs?.some((r) => r.uid === ref.uid)) this.dependents.get(ref.uid)?.delete(uid);
            for (const ref of refs ?? []) this.dependentsOf(ref.uid).set(uid, existing);
          }
        }
        if (
          e.object.metadata.deletionTimestamp &&
          e.object.metadata.finalizers?.some((f) => f === 'foregroundDeletion' || f === 'orphan')
        )
          this.queue.add(uid);
      });
    }
  }

  private process(uid: string): void {
    const deps = this.dependents.get(uid);
    const owner = this.owners.get(uid);
    if (!owner) {
      // The owner is gone: delete every dependent in the background.
      for (const dep of deps?.values() ?? []) {
        const [ns, name] = splitKey(dep.key);
        this.ctx.api.delete(dep.resource, ns, name, user, { propagationPolicy: 'Background' }, { traceSteps: true });
      }
      if (deps && deps.size === 0) this.dependents.delete(uid);
      return;
    }
    const object = this.ctx.informers.get(owner.resource).cache.get(owner.key);
    if (!object) return;
    const finalizers: readonly string[] = object.metadata.finalizers ?? [];
    const [ns, name] = splitKey(owner.key);
    if (finalizers.includes('orphan')) {
      for (const dep of deps?.values() ?? []) {
        const [dns, dname] = splitKey(dep.key);
        this.ctx.api.patch(
          dep.resource,
          dns,
          dname,
          (cur) => ({
            ...cur,
            metadata: {
              ...cur.metadata,
              ownerReferences: (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid),
            },
          }),
          user,
        );
      }
      this.ctx.api.removeFinalizer(owner.resource, ns, name, 'orphan', user);
      return;
    }
    if (finalizers.includes('foregroundDeletion')) {
      if (!deps || deps.size === 0)
        return this.ctx.api.removeFinalizer(owner.resource, ns, name, 'foregroundDeletion', user);
      for (const dep of deps.values()) {
        const [dns, dname] = splitKey(dep.key);
        this.ctx.api.delete(dep.resource, dns, dname, user, { propagationPolicy: 'Foreground' }, { traceSteps: true });
      }
    }
  }
}
