// The objects a trace's events concern, one entity (one row of the timeline) each. The
// object table has one entry per distinct reference, and the first events of an object
// (the apiserver's, before the store gave it a uid) refer to it without a uid: those join
// the entity of the same kind, namespace and name, so a pod's row holds its whole life. An
// object with the same name and a new uid (a StatefulSet's pod made again) is a new entity.
import { Track } from './track';

export interface Entity {
  readonly index: number;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  uid: string | null;
  /** The entity's events, by end time. */
  readonly track: Track;
  /** When its first event happened (for ordering rows). */
  firstTime: number;
  warnings: number;
}

export class EntityRegistry {
  readonly list: Entity[] = [];
  private readonly byName = new Map<string, Entity[]>();
  private readonly byUid = new Map<string, Entity>();

  constructor(private readonly firstTrackKey: number) {}

  reset(): void {
    this.list.length = 0;
    this.byName.clear();
    this.byUid.clear();
  }

  /** The entity of an object reference, made when it is new. */
  entityFor(kind: string, namespace: string | null, name: string, uid: string | null): Entity {
    const key = `${kind}\u0000${namespace ?? ''}\u0000${name}`;
    const same = this.byName.get(key);
    if (uid !== null) {
      const known = this.byUid.get(uid);
      if (known) return known;
      let unnamed: Entity | undefined;
      for (const e of same ?? []) if (e.uid === null) unnamed = e;
      if (unnamed) {
        unnamed.uid = uid;
        this.byUid.set(uid, unnamed);
        return unnamed;
      }
    } else if (same && same.length > 0) {
      return same[same.length - 1];
    }
    const entity: Entity = {
      index: this.list.length,
      kind,
      namespace,
      name,
      uid,
      track: new Track(this.firstTrackKey + this.list.length),
      firstTime: Infinity,
      warnings: 0,
    };
    this.list.push(entity);
    if (same) same.push(entity);
    else this.byName.set(key, [entity]);
    if (uid !== null) this.byUid.set(uid, entity);
    return entity;
  }

  byUidOf(uid: string): Entity | undefined {
    return this.byUid.get(uid);
  }
}

/** `Pod default/web-1`, `Node node-1`: how rows, the detail pane and the table name an object. */
export function entityLabel(e: {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
}): string {
  return e.namespace === null ? `${e.kind} ${e.name}` : `${e.kind} ${e.namespace}/${e.name}`;
}
