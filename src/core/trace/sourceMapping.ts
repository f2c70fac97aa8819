// Source mapping (DESIGN section 6): from an event's object, reason, lane, field path and
// cause to the YAML range that caused it, never from its message. A pod maps to its owner's
// template (pod → ReplicaSet → Deployment through the controller owner references), a
// container event to that container, a probe event to that probe, a scheduling failure to
// what the rejecting plugins point to, a claim of a StatefulSet or of an ephemeral volume to
// its template; events on an input object itself map to the field that drives them (a
// Deployment's replicas, a Service's selector). The rules are tables in sourceRules.ts,
// turned into candidate paths by sourceCandidates.ts; this file finds the event's origin,
// keeps the answers and turns the first path the manifest sets into a range.
//
// Answers depend only on what an event carries and on owners known when it is emitted, so the
// editor may ask chunk by chunk while a trace streams and get what it would get at the end.
import { decodedValue } from '../manifest/decode';
import { formatFieldPath, type PathSegment } from '../manifest/base/fieldPath';
import { looksLikeKubernetesObject, type ManifestDocument, type ParsedManifestFile } from '../manifest/base/parse';
import { pathExists, rangeOfPath, type Anchor } from '../manifest/base/sourceMap';
import type { EventCause } from './model/eventCause';
import { at, listAt } from './manifestValue';
import { objectCandidates, podCandidates, podPlace } from './sourceCandidates';
import { embeddings } from './sourceRules';
import type { Lane, ObjectRef, SourceLocation, TraceEvent } from './model/traceEvent';

export interface TraceSource extends SourceLocation {
  /** The field, in the apiserver's field-path form (`spec.template.spec.containers[0].image`). */
  readonly path: string;
}

/** What the simulator (or a cluster's watch) knows of an object: kind, name and controller owner. */
export interface LineageEntry {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** The uid of its controller owner. */
  readonly owner: string | undefined;
}

/** What the simulator knows of every object it stored, by uid. */
export interface OwnerLineage {
  get(uid: string): LineageEntry | undefined;
}

interface InputObject {
  readonly file: string;
  readonly parsed: ParsedManifestFile;
  readonly document: ManifestDocument;
  /** Where the object sits in its document: [] or ['items', i] in a List. */
  readonly prefix: readonly PathSegment[];
  readonly value: ManifestObject;
}

/**
 * An object of the input as decoded: checked to have a kind and a name. Only manifests without
 * errors are traced, so its other fields are what validation let through, read with `at`.
 */
interface ManifestObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** The answers for one reason, lane and field path: for events without a cause, and by cause. */
interface Answers {
  plain: TraceSource | null | undefined;
  byCause: Map<string, TraceSource | null> | undefined;
}

/**
 * An input object seen through objects of one kind (itself, its pods, its ReplicaSets, the
 * claims of one of its claim templates), with the answers found so far.
 */
interface Origin {
  readonly input: InputObject;
  readonly ownKind: string;
  /**
   * Where objects of that kind sit in the input object; undefined when
   * it makes them without a template (a Service's EndpointSlices).
   */
  readonly place: readonly PathSegment[] | undefined;
  /** By reason, lane and field path: a few shared strings each, whose hashes are kept. */
  readonly answers: Map<string, Map<Lane, Map<string, Answers>>>;
}

export class TraceSourceMapper {
  private readonly objects = new Map<string, InputObject>();
  private readonly ranges = new Map<string, TraceSource | null>();
  private readonly roots = new Map<string, Origin | null>();
  /**
   * The same answers by reference object: events of one object
   * share its reference, and a uid-less one has no cheap key.
   */
  private readonly rootsByRef = new Map<ObjectRef, Origin | null>();
  private readonly origins = new Map<InputObject, Map<string, Origin>>();
  /**
   * StatefulSets with volumeClaimTemplates: their claims
   * (`<template>-<set>-<ordinal>`) have no owner to lead back to them.
   */
  private readonly claimSets: InputObject[] = [];
  /** Each cause's key, made once per cause object (the emitters share most of them). */
  private readonly causeKeys = new WeakMap<EventCause, string>();

  constructor(
    files: readonly { readonly name: string; readonly file: ParsedManifestFile }[],
    private readonly lineage: OwnerLineage,
  ) {
    for (const { name, file: parsed } of files) {
      for (const document of parsed.documents) {
        if (document.errors.length > 0 || !looksLikeKubernetesObject(document)) continue;
        const value = decodedValue(document);
        const items: [readonly PathSegment[], unknown][] =
          at(value, ['kind']) === 'List' && Array.isArray(at(value, ['items']))
            ? listAt(value, ['items']).map((item, i) => [['items', i], item])
            : [[[], value]];
        for (const [prefix, item] of items) {
          if (!item || typeof at(item, ['kind']) !== 'string' || typeof at(item, ['metadata', 'name']) !== 'string')
            continue;
          const object = item as ManifestObject;
          const input: InputObject = { file: name, parsed, document, prefix, value: object };
          const namespace = object.metadata.namespace;
          // Without a namespace the object went to `default`, or it is cluster-scoped.
          for (const ns of namespace === undefined ? ['default', ''] : [namespace]) {
            const key = objectKey(object.kind, ns, object.metadata.name);
            if (!this.objects.has(key)) this.objects.set(key, input);
          }
          if (object.kind === 'StatefulSet' && Array.isArray(at(object, ['spec', 'volumeClaimTemplates']))) {
            this.claimSets.push(input);
          }
        }
      }
    }
  }

  /** The YAML range that caused the event, when its object comes from the input. */
  sourceOf(event: TraceEvent): TraceSource | undefined {
    const origin = this.originOf(event.object);
    if (!origin) return undefined;
    // Pods of one template share their answers: events are decided by reason, lane, field path and cause.
    let byLane = origin.answers.get(event.reason);
    if (!byLane) origin.answers.set(event.reason, (byLane = new Map()));
    let byField = byLane.get(event.lane);
    if (!byField) byLane.set(event.lane, (byField = new Map()));
    const field = event.fieldPath ?? '';
    let answers = byField.get(field);
    if (!answers) byField.set(field, (answers = { plain: undefined, byCause: undefined }));
    const cause = event.cause;
    if (cause === undefined) {
      if (answers.plain === undefined) answers.plain = this.compute(event, origin) ?? null;
      return answers.plain ?? undefined;
    }
    const key = this.causeKey(cause);
    const byCause = (answers.byCause ??= new Map());
    let source = byCause.get(key);
    if (source === undefined) byCause.set(key, (source = this.compute(event, origin) ?? null));
    return source ?? undefined;
  }

  private causeKey(cause: EventCause): string {
    let key = this.causeKeys.get(cause);
    if (key === undefined) this.causeKeys.set(cause, (key = JSON.stringify(cause)));
    return key;
  }

  /** The input object an object comes from: itself, or the first input object up its owner chain. */
  private originOf(ref: ObjectRef): Origin | undefined {
    const byRef = this.rootsByRef.get(ref);
    if (byRef !== undefined) return byRef ?? undefined;
    const { origin, final } = this.originByKey(ref);
    if (final) this.rootsByRef.set(ref, origin ?? null);
    return origin;
  }

  /**
   * The origin of an object, and whether the answer is final: an object whose owners are not
   * all known yet is asked again later rather than remembered as coming from nowhere.
   */
  private originByKey(ref: ObjectRef): { origin: Origin | undefined; final: boolean } {
    const cacheKey = ref.uid ?? objectKey(ref.kind, ref.namespace ?? '', ref.name);
    const cached = this.roots.get(cacheKey);
    if (cached !== undefined) return { origin: cached ?? undefined, final: true };
    let found: Origin | undefined;
    let final = true;
    /** The pod that owns the object, when the object is a claim of its ephemeral volume. */
    let owningPod: string | undefined;
    const first = ref.uid ? this.lineage.get(ref.uid) : undefined;
    if (ref.uid && !first) final = false;
    let current: { kind: string; namespace: string | undefined | null; name: string; owner?: string } | undefined = {
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
      owner: first?.owner,
    };
    for (let depth = 0; current && depth < 8; depth++) {
      const input = this.objects.get(objectKey(current.kind, current.namespace ?? '', current.name));
      if (input) {
        found =
          owningPod === undefined
            ? this.originFor(input, ref.kind)
            : this.ephemeralClaimOrigin(input, owningPod, ref.name);
        break;
      }
      const owner: string | undefined = current.owner;
      const next: LineageEntry | undefined = owner ? this.lineage.get(owner) : undefined;
      if (owner && !next) final = false;
      if (depth === 0 && ref.kind === 'PersistentVolumeClaim' && next?.kind === 'Pod') owningPod = next.name;
      current = next ? { kind: next.kind, namespace: next.namespace, name: next.name, owner: next.owner } : undefined;
    }
    if (!found && ref.kind === 'PersistentVolumeClaim') {
      // One origin per template: claims of one template share their answers, not those of another.
      for (const set of this.claimSets) {
        if ((set.value.metadata.namespace ?? 'default') !== (ref.namespace ?? 'default')) continue;
        const index = claimTemplateIndex(set.value, ref.name);
        if (index < 0) continue;
        found = this.originFor(set, ref.kind, `${ref.kind}\u0000${index}`, ['spec', 'volumeClaimTemplates', index]);
        break;
      }
    }
    if (final) this.roots.set(cacheKey, found ?? null);
    return { origin: found, final };
  }

  /**
   * A claim a pod's generic ephemeral volume made (`<pod>-<volume>`):
   * that volume's claim template, under the pod's template.
   */
  private ephemeralClaimOrigin(input: InputObject, pod: string, claim: string): Origin {
    const base = podPlace(input.value);
    const volumes = base ? listAt(input.value, [...base, 'spec', 'volumes']) : [];
    const index = claim.startsWith(`${pod}-`)
      ? volumes.findIndex((v) => at(v, ['ephemeral']) !== undefined && at(v, ['name']) === claim.slice(pod.length + 1))
      : -1;
    if (!base || index < 0) return this.originFor(input, 'PersistentVolumeClaim');
    return this.originFor(input, 'PersistentVolumeClaim', `PersistentVolumeClaim\u0000ephemeral\u0000${index}`, [
      ...base,
      'spec',
      'volumes',
      index,
      'ephemeral',
      'volumeClaimTemplate',
    ]);
  }

  /** The input object seen through objects of one kind (`key`: that kind, or a finer key with its own place). */
  private originFor(input: InputObject, kind: string, key = kind, place?: readonly PathSegment[]): Origin {
    let byKind = this.origins.get(input);
    if (!byKind) this.origins.set(input, (byKind = new Map()));
    let origin = byKind.get(key);
    if (!origin) {
      const rootKind = input.value.kind as string;
      byKind.set(
        key,
        (origin = {
          input,
          ownKind: kind,
          place: place ?? (kind === rootKind ? [] : embeddings[rootKind]?.[kind]),
          answers: new Map(),
        }),
      );
    }
    return origin;
  }

  private compute(event: TraceEvent, origin: Origin): TraceSource | undefined {
    const { input, ownKind, place } = origin;
    // The apiserver storing an input object: the object itself.
    const storing = ownKind === input.value.kind && (event.lane === 'apiserver' || event.lane === 'etcd');
    const candidates = storing
      ? []
      : ownKind === 'Pod' && place !== undefined
        ? podCandidates(event, input.value, place)
        : objectCandidates(event, ownKind, place, input.value);
    candidates.push(['metadata', 'name']);
    for (const path of candidates) {
      const value = at(input.value, path);
      if (value === undefined) continue;
      // A field that holds a map or a list is shown by its key; a scalar with its value.
      const source = this.range(input, path, typeof value === 'object' && value !== null ? 'key' : 'whole');
      if (source) return source;
    }
    return undefined;
  }

  private range(input: InputObject, path: PathSegment[], anchor: Anchor): TraceSource | undefined {
    const full = [...input.prefix, ...path];
    const key = `${input.file}\u0000${input.document.index}\u0000${full.join('\u0001')}\u0000${anchor}`;
    const cached = this.ranges.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let source: TraceSource | null = null;
    if (pathExists(input.document.yaml, full)) {
      const r = rangeOfPath(input.document.yaml, input.parsed.lines, full, anchor);
      source = {
        file: input.file,
        line: r.start.line + 1,
        column: r.start.column + 1,
        endLine: r.end.line + 1,
        endColumn: r.end.column + 1,
        path: formatFieldPath(path),
      };
    }
    this.ranges.set(key, source);
    return source ?? undefined;
  }
}

/** Which of a StatefulSet's volumeClaimTemplates a claim comes from (`<template>-<set>-<ordinal>`); -1 for none. */
function claimTemplateIndex(set: ManifestObject, claim: string): number {
  return listAt(set, ['spec', 'volumeClaimTemplates']).findIndex((t) => {
    const prefix = `${String(at(t, ['metadata', 'name']))}-${set.metadata.name}-`;
    return claim.startsWith(prefix) && /^\d+$/.test(claim.slice(prefix.length));
  });
}

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}
