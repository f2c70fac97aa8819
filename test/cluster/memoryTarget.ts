// An in-memory ClusterTarget for tests of code written against the interface (the editor's
// target picker and commands): it stores objects in a map, answers as an apiserver would for
// the cases such code must handle (created, configured, unchanged, deleted, 404, 422 with
// causes), and streams one apiserver event per write to every open trace of that object.
import {
  targetRefOf,
  type ApplyOptions,
  type ClusterTarget,
  type DeleteOptions,
  type ObjectOutcome,
  type TargetDescription,
  type TraceRequest,
  type TraceSink,
  type TraceStream,
} from '../../src/core/cluster/clusterTarget';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { LineageEntry } from '../../src/core/trace/sourceMapping';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';

interface OpenStream {
  readonly keys: ReadonlySet<string>;
  readonly sink: TraceSink;
  readonly lineage: Map<string, LineageEntry>;
  next: number;
}

function keyOf(kind: string, namespace: string | null, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** Everything but the metadata: what decides whether an apply changed the object. */
function withoutMetadata(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = object;
  return rest;
}

export class MemoryTarget implements ClusterTarget {
  readonly stored = new Map<string, KubeObject>();
  private readonly streams = new Set<OpenStream>();
  private uids = 0;
  private closed = false;

  constructor(private readonly description: TargetDescription) {}

  describe(): TargetDescription {
    return this.description;
  }

  async apply(objects: readonly KubeObject[], options: ApplyOptions = {}): Promise<ObjectOutcome[]> {
    this.checkOpen('apply');
    return objects.map((object) => {
      const ref = targetRefOf(object, this.description.namespace);
      if (ref.name === '')
        return {
          ok: false,
          ref,
          warnings: [],
          status: {
            code: 422,
            reason: 'Invalid',
            message: `${object.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
            causes: [
              {
                reason: 'FieldValueRequired',
                message: 'Required value: name or generateName is required',
                field: 'metadata.name',
              },
            ],
          },
        };
      const key = keyOf(ref.kind, ref.namespace, ref.name);
      const before = this.stored.get(key);
      const uid = before?.metadata.uid ?? `uid-${++this.uids}`;
      const stored: KubeObject = {
        ...object,
        metadata: { ...object.metadata, namespace: ref.namespace ?? undefined, uid },
      };
      const same =
        before !== undefined && JSON.stringify(withoutMetadata(before)) === JSON.stringify(withoutMetadata(stored));
      const operation = before === undefined ? 'created' : same ? 'unchanged' : 'configured';
      if (!options.dryRun) {
        this.stored.set(key, stored);
        this.publish(stored, operation === 'created' ? 'Created' : 'Applied');
      }
      return { ok: true, ref: { ...ref, uid }, object: stored, operation, warnings: [] };
    });
  }

  dryRun(objects: readonly KubeObject[], options: Omit<ApplyOptions, 'dryRun'> = {}): Promise<ObjectOutcome[]> {
    return this.apply(objects, { ...options, dryRun: true });
  }

  async delete(objects: readonly KubeObject[], options: DeleteOptions = {}): Promise<ObjectOutcome[]> {
    this.checkOpen('delete');
    return objects.map((object) => {
      const ref = targetRefOf(object, this.description.namespace);
      const key = keyOf(ref.kind, ref.namespace, ref.name);
      const stored = this.stored.get(key);
      if (!stored)
        return {
          ok: false,
          ref,
          warnings: [],
          status: {
            code: 404,
            reason: 'NotFound',
            message: `${object.kind.toLowerCase()}s "${ref.name}" not found`,
            causes: [],
          },
        };
      if (!options.dryRun) {
        this.stored.delete(key);
        this.publish(stored, 'Deleted');
      }
      return {
        ok: true,
        ref: { ...ref, uid: stored.metadata.uid ?? null },
        object: stored,
        operation: 'deleted',
        warnings: [],
      };
    });
  }

  trace(request: TraceRequest, sink: TraceSink): TraceStream {
    this.checkOpen('trace');
    const keys = new Set(
      request.objects.map((o) => {
        const ref = targetRefOf(o, this.description.namespace);
        return keyOf(ref.kind, ref.namespace, ref.name);
      }),
    );
    const stream: OpenStream = { keys, sink, lineage: new Map(), next: 0 };
    this.streams.add(stream);
    return {
      lineage: { get: (uid) => stream.lineage.get(uid) },
      stop: () => this.streams.delete(stream),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.streams.clear();
  }

  private checkOpen(what: string): void {
    if (this.closed) throw new Error(`MemoryTarget.${what}: expected an open target, found it closed`);
  }

  private publish(object: KubeObject, reason: string): void {
    const namespace = object.metadata.namespace ?? null;
    for (const stream of this.streams) {
      if (!stream.keys.has(keyOf(object.kind, namespace, object.metadata.name))) continue;
      const uid = object.metadata.uid ?? null;
      if (uid !== null)
        stream.lineage.set(uid, {
          kind: object.kind,
          namespace: namespace ?? undefined,
          name: object.metadata.name,
          owner: undefined,
        });
      const event: TraceEvent = {
        id: stream.next++,
        time: 0,
        lane: 'apiserver',
        node: null,
        object: { kind: object.kind, namespace, name: object.metadata.name, uid },
        reason,
        message: `${reason} ${object.kind} ${object.metadata.name}`,
        severity: 'Normal',
        causes: [],
      };
      stream.sink.onStep({ events: [event], pods: [], windows: [], clockMs: 0 });
    }
  }
}
