// The trace's references to objects. An object's kind, namespace and name never change, so all its
// versions share one reference, which keeps a long trace small. The table belongs to one trace
// recorder, so to one cluster: clusters that run one after another in a process (the editor's
// traces, the tests) share nothing, whatever uids their seeds give.
import type { KubeObject } from '../../sim/store/objects';
import type { ObjectRef } from './traceEvent';

export class ObjectRefs {
  private readonly byUid = new Map<string, ObjectRef>();
  private readonly byMetadata = new WeakMap<object, ObjectRef>();

  /** The trace's reference to an object, shared between all events of the object. */
  of(object: KubeObject): ObjectRef {
    const uid = object.metadata.uid;
    let ref = uid === undefined ? this.byMetadata.get(object.metadata) : this.byUid.get(uid);
    // A uid names one object for the life of a cluster; the check keeps a reference honest should
    // an object without a uid reuse metadata, or a test reuse a uid for another object.
    const namespace = object.metadata.namespace ?? null;
    if (!ref || ref.name !== object.metadata.name || ref.kind !== object.kind || ref.namespace !== namespace) {
      ref = { kind: object.kind, namespace, name: object.metadata.name, uid: uid ?? null };
      if (uid === undefined) this.byMetadata.set(object.metadata, ref);
      else {
        // A bound on the memory a very long run can hold: the references are rebuilt on demand.
        if (this.byUid.size >= 500_000) this.byUid.clear();
        this.byUid.set(uid, ref);
      }
    }
    return ref;
  }
}
