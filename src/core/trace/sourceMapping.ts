// Source mapping (DESIGN section 6): from an event's object and what it is about to the YAML
// range that caused it. A pod maps to its owner's template (pod → ReplicaSet → Deployment
// through the controller owner references), a container event to that container, an image
// event to its `image`, a probe event to that probe, a mount failure to its volume, a
// scheduling failure to the field that made no node fit, a StatefulSet's claim to its
// volumeClaimTemplate (or that template's storageClassName); events on an input object itself
// map to the field that drives them (a Deployment's replicas, a Service's selector).
import { formatFieldPath, type PathSegment } from '../manifest/fieldPath';
import { decodedValue } from '../manifest/decode';
import { looksLikeKubernetesObject, type ManifestDocument, type ParsedManifestFile } from '../manifest/parse';
import { rangeOfPath, pathExists, type Anchor } from '../manifest/sourceMap';
import type { ObjectRef, SourceLocation, TraceEvent } from './traceEvent';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read loosely. */

export interface TraceSource extends SourceLocation {
  /** The field, in the apiserver's field-path form (`spec.template.spec.containers[0].image`). */
  readonly path: string;
}

/** What the simulator knows of every object it stored: kind, name and controller owner, by uid. */
export interface OwnerLineage {
  get(uid: string): { readonly kind: string; readonly namespace: string | undefined; readonly name: string; readonly owner: string | undefined } | undefined;
}

interface InputObject {
  readonly file: string;
  readonly parsed: ParsedManifestFile;
  readonly document: ManifestDocument;
  /** Where the object sits in its document: [] or ['items', i] in a List. */
  readonly prefix: readonly PathSegment[];
  readonly value: any;
}

/** Where a kind keeps its pod template. */
const templatePaths: Readonly<Record<string, readonly PathSegment[]>> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** A claim's events that its class decides (which provisioner, which binding mode, whether it exists). */
const claimClassReasons = new Set(['WaitForFirstConsumer', 'WaitForPodScheduled', 'ExternalProvisioning', 'ProvisioningFailed', 'Provisioning', 'ProvisioningSucceeded', 'NotSimulated']);

/** FailedScheduling texts of the VolumeBinding plugin. */
const volumeBindingMessage = /persistentvolumeclaim "|was not created for pod|unbound immediate PersistentVolumeClaims|volume node affinity conflict|available persistent volumes to bind|bound to non-existent pv|PreBind plugin "VolumeBinding"/;

const imageReasons = new Set(['Pulling', 'Pulled', 'Failed', 'ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InspectFailed', 'InvalidImageName']);

/** An input object seen through objects of one kind (its pods, its ReplicaSets, itself), with the answers found so far. */
interface Origin {
  readonly input: InputObject;
  readonly ownKind: string;
  /** Answers by reason, lane, field path (and message, for the reasons whose message matters). */
  readonly byEvent: Map<string, Map<string, Map<string, TraceSource | null | Map<string, TraceSource | null>>>>;
}

/** Reasons whose message says which part of the object they concern (which probe, volume or resource). */
const messageMatters = new Set(['Unhealthy', 'ProbeSucceeded', 'ProbeFailedThreshold', 'Killing', 'BackOff', 'SIGTERM', 'FailedMount', 'FailedScheduling']);

export class TraceSourceMapper {
  private readonly objects = new Map<string, InputObject>();
  private readonly ranges = new Map<string, TraceSource | null>();
  private readonly roots = new Map<string, Origin | null>();
  /** The same answers by reference object: events of one object share its reference, and a uid-less one has no cheap key. */
  private readonly rootsByRef = new Map<ObjectRef, Origin | null>();
  private readonly origins = new Map<InputObject, Map<string, Origin>>();
  /** StatefulSets with volumeClaimTemplates: their claims (`<template>-<set>-<ordinal>`) have no owner to lead back to them. */
  private readonly claimSets: InputObject[] = [];

  constructor(
    files: readonly { readonly name: string; readonly file: ParsedManifestFile }[],
    private readonly lineage: OwnerLineage,
  ) {
    for (const { name, file: parsed } of files) {
      for (const document of parsed.documents) {
        if (document.errors.length > 0 || !looksLikeKubernetesObject(document)) continue;
        const value = decodedValue(document) as any;
        const items: [readonly PathSegment[], any][] = value?.kind === 'List' && Array.isArray(value.items) ? value.items.map((item: any, i: number) => [['items', i], item]) : [[[], value]];
        for (const [prefix, object] of items) {
          if (!object || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') continue;
          const input: InputObject = { file: name, parsed, document, prefix, value: object };
          const namespace = object.metadata.namespace;
          // Without a namespace the object went to `default`, or it is cluster-scoped.
          for (const ns of namespace === undefined ? ['default', ''] : [namespace]) {
            const key = objectKey(object.kind, ns, object.metadata.name);
            if (!this.objects.has(key)) this.objects.set(key, input);
          }
          if (object.kind === 'StatefulSet' && Array.isArray(object.spec?.volumeClaimTemplates)) this.claimSets.push(input);
        }
      }
    }
  }

  /** The YAML range that caused the event, when its object comes from the input. */
  sourceOf(event: TraceEvent): TraceSource | undefined {
    const origin = this.originOf(event.object);
    if (!origin) return undefined;
    // Pods of one template share their answers: most events are decided by reason and field path.
    // Keyed by the strings themselves, level by level: reasons, lanes and field paths are a few
    // shared strings whose hashes are kept, where one joined key would be a new string per event.
    let byLane = origin.byEvent.get(event.reason);
    if (!byLane) origin.byEvent.set(event.reason, (byLane = new Map()));
    let byField = byLane.get(event.lane);
    if (!byField) byLane.set(event.lane, (byField = new Map()));
    const field = event.fieldPath ?? '';
    let answers: Map<string, TraceSource | null> | undefined;
    if (messageMatters.has(event.reason)) {
      answers = byField.get(field) as Map<string, TraceSource | null> | undefined;
      if (!answers) byField.set(field, (answers = new Map()));
    }
    const message = answers ? decidingText(event) : '';
    const known = answers ? answers.get(message) : (byField.get(field) as TraceSource | null | undefined);
    if (known !== undefined) return known ?? undefined;
    const { path, anchor } = this.pathFor(event, origin.input, origin.ownKind);
    const source = this.range(origin.input, path, anchor) ?? null;
    if (answers) answers.set(message, source);
    else byField.set(field, source);
    return source ?? undefined;
  }

  /** The input object an object comes from: itself, or the first input object up its owner chain. */
  private originOf(ref: ObjectRef): Origin | undefined {
    const byRef = this.rootsByRef.get(ref);
    if (byRef !== undefined) return byRef ?? undefined;
    const found = this.originByKey(ref);
    this.rootsByRef.set(ref, found ?? null);
    return found;
  }

  private originByKey(ref: ObjectRef): Origin | undefined {
    const cacheKey = ref.uid ?? objectKey(ref.kind, ref.namespace ?? '', ref.name);
    const cached = this.roots.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    let found: Origin | undefined;
    let current: { kind: string; namespace: string | undefined | null; name: string; owner?: string } | undefined = { kind: ref.kind, namespace: ref.namespace, name: ref.name, owner: ref.uid ? this.lineage.get(ref.uid)?.owner : undefined };
    for (let depth = 0; current && depth < 8; depth++) {
      const input = this.objects.get(objectKey(current.kind, current.namespace ?? '', current.name));
      if (input) {
        found = this.originFor(input, ref.kind);
        break;
      }
      const owner: string | undefined = current.owner;
      const next: ReturnType<OwnerLineage['get']> = owner ? this.lineage.get(owner) : undefined;
      current = next ? { kind: next.kind, namespace: next.namespace, name: next.name, owner: next.owner } : undefined;
    }
    if (!found && ref.kind === 'PersistentVolumeClaim') {
      // One origin per template: claims of one template share their answers, not those of another.
      for (const set of this.claimSets) {
        if ((set.value.metadata.namespace ?? 'default') !== (ref.namespace ?? 'default')) continue;
        const index = claimTemplateIndex(set.value, ref.name);
        if (index < 0) continue;
        found = this.originFor(set, ref.kind, `${ref.kind}\u0000${index}`);
        break;
      }
    }
    this.roots.set(cacheKey, found ?? null);
    return found;
  }

  /** The input object seen through objects of one kind (`key`: that kind, or a finer key). */
  private originFor(input: InputObject, kind: string, key = kind): Origin {
    let byKind = this.origins.get(input);
    if (!byKind) this.origins.set(input, (byKind = new Map()));
    let origin = byKind.get(key);
    if (!origin) byKind.set(key, (origin = { input, ownKind: kind, byEvent: new Map() }));
    return origin;
  }

  private pathFor(event: TraceEvent, input: InputObject, ownKind: string): { path: PathSegment[]; anchor: Anchor } {
    const rootKind = input.value.kind as string;
    const template = templatePaths[rootKind];
    // The apiserver storing an input object: the object itself.
    if (ownKind === rootKind && (event.lane === 'apiserver' || event.lane === 'etcd')) return { path: ['metadata', 'name'], anchor: 'whole' };
    if (ownKind === 'Pod' && (rootKind === 'Pod' || template)) return this.podPath(event, input, rootKind === 'Pod' ? [] : [...template]);
    // A ReplicaSet creating or deleting pods, a Deployment scaling one: the replicas that asked for it.
    const scaling = ownKind === 'ReplicaSet' || event.reason === 'ScalingReplicaSet' || event.reason === 'SuccessfulCreate' || event.reason === 'SuccessfulDelete';
    if (template && scaling && input.value.spec?.replicas !== undefined) return { path: ['spec', 'replicas'], anchor: 'whole' };
    if (rootKind === 'Job') {
      // A Job's own events: the field that decided them, when the manifest sets it.
      const fields: Record<string, readonly string[]> = { BackoffLimitExceeded: ['backoffLimit'], DeadlineExceeded: ['activeDeadlineSeconds'], Completed: ['completions'], SuccessfulCreate: ['parallelism', 'completions'], SuccessfulDelete: ['parallelism', 'completions'] };
      const field = (fields[event.reason] ?? []).find((f) => input.value.spec?.[f] !== undefined);
      if (field) return { path: ['spec', field], anchor: 'whole' };
    }
    if (rootKind === 'PersistentVolumeClaim' && input.value.spec?.storageClassName !== undefined && claimClassReasons.has(event.reason)) return { path: ['spec', 'storageClassName'], anchor: 'whole' };
    if (rootKind === 'StatefulSet' && ownKind === 'PersistentVolumeClaim') {
      // A claim of the set: its template, or the template's class for what the class decides.
      const index = claimTemplateIndex(input.value, event.object.name);
      if (index >= 0) {
        const claim = ['spec', 'volumeClaimTemplates', index];
        if (input.value.spec.volumeClaimTemplates[index]?.spec?.storageClassName !== undefined && claimClassReasons.has(event.reason)) return { path: [...claim, 'spec', 'storageClassName'], anchor: 'whole' };
        return { path: [...claim, 'metadata', 'name'], anchor: 'whole' };
      }
    }
    if (rootKind === 'CronJob' && event.reason === 'UnknownTimeZone' && input.value.spec?.timeZone !== undefined) return { path: ['spec', 'timeZone'], anchor: 'whole' };
    if (rootKind === 'Service' && input.value.spec?.selector !== undefined) return { path: ['spec', 'selector'], anchor: 'key' };
    if (rootKind === 'Ingress' && input.value.spec?.rules !== undefined) return { path: ['spec', 'rules'], anchor: 'key' };
    return { path: ['metadata', 'name'], anchor: 'whole' };
  }

  /** A pod's event, within the pod spec at `base` (the template, or a bare Pod). */
  private podPath(event: TraceEvent, input: InputObject, base: PathSegment[]): { path: PathSegment[]; anchor: Anchor } {
    const at = (o: any, segments: readonly PathSegment[]) => segments.reduce((v, s) => (v === undefined || v === null ? undefined : v[s]), o);
    const pod = at(input.value, base);
    const spec = pod?.spec ?? {};
    const whole = (path: PathSegment[]): { path: PathSegment[]; anchor: Anchor } => ({ path, anchor: 'whole' });
    const podKey = { path: base.length > 0 ? base : ['metadata', 'name'], anchor: (base.length > 0 ? 'key' : 'whole') as Anchor };
    const container = /^spec\.(containers|initContainers)\{(.+)\}$/.exec(event.fieldPath ?? '');
    if (container) {
      const list = container[1];
      const index = (spec[list] ?? []).findIndex((c: any) => c?.name === container[2]);
      if (index < 0) return podKey;
      const c = spec[list][index];
      const cpath = [...base, 'spec', list, index];
      const probe = /^(Readiness|Liveness|Startup) probe/.exec(event.message) ?? / failed (liveness|startup) probe/.exec(event.message);
      if (probe) {
        const field = `${probe[1].toLowerCase()}Probe`;
        if (c[field] !== undefined) return { path: [...cpath, field], anchor: 'key' };
      }
      if (imageReasons.has(event.reason) || (event.reason === 'BackOff' && event.message.startsWith('Back-off pulling image'))) return whole([...cpath, 'image']);
      if (event.reason === 'SIGTERM' && event.message.includes('after preStop') && c.lifecycle?.preStop !== undefined) return { path: [...cpath, 'lifecycle', 'preStop'], anchor: 'key' };
      if (event.reason === 'Listening' && c.ports !== undefined) return { path: [...cpath, 'ports'], anchor: 'key' };
      return whole([...cpath, 'name']);
    }
    if (event.reason === 'FailedMount') {
      const volume = /for volume "([^"]+)"/.exec(event.message)?.[1];
      const index = (spec.volumes ?? []).findIndex((v: any) => v?.name === volume);
      if (index >= 0) return whole([...base, 'spec', 'volumes', index, 'name']);
    }
    if (event.reason === 'FailedScheduling') {
      for (const resource of ['cpu', 'memory']) {
        if (!event.message.includes(`Insufficient ${resource}`)) continue;
        const index = (spec.containers ?? []).findIndex((c: any) => c?.resources?.requests?.[resource] !== undefined || c?.resources?.limits?.[resource] !== undefined);
        if (index < 0) continue;
        const c = spec.containers[index];
        return whole([...base, 'spec', 'containers', index, 'resources', c.resources.requests?.[resource] !== undefined ? 'requests' : 'limits', resource]);
      }
      if (event.message.includes("node affinity/selector")) {
        if (spec.nodeSelector !== undefined) return { path: [...base, 'spec', 'nodeSelector'], anchor: 'key' };
        if (spec.affinity !== undefined) return { path: [...base, 'spec', 'affinity'], anchor: 'key' };
      }
      if (volumeBindingMessage.test(event.message)) {
        // The claim the message names, else the pod's first claim; a StatefulSet's claims come from its templates.
        const named = /persistentvolumeclaim "([^"]+)"/.exec(event.message)?.[1];
        const volumes: any[] = spec.volumes ?? [];
        const index = volumes.findIndex((v: any) => v?.persistentVolumeClaim?.claimName !== undefined && (named === undefined || v.persistentVolumeClaim.claimName === named));
        if (index >= 0) return whole([...base, 'spec', 'volumes', index, 'persistentVolumeClaim', 'claimName']);
        // A generic ephemeral volume's claim is `<pod>-<volume>`.
        const ephemeral = volumes.findIndex((v: any) => v?.ephemeral !== undefined && (named === undefined || named.endsWith(`-${v.name}`)));
        if (ephemeral >= 0) return { path: [...base, 'spec', 'volumes', ephemeral, 'ephemeral'], anchor: 'key' };
        if (input.value.spec?.volumeClaimTemplates !== undefined) return { path: ['spec', 'volumeClaimTemplates'], anchor: 'key' };
      }
      if (event.message.includes('untolerated taint') && spec.tolerations !== undefined) return { path: [...base, 'spec', 'tolerations'], anchor: 'key' };
      if (event.message.includes('free ports')) {
        const index = (spec.containers ?? []).findIndex((c: any) => (c?.ports ?? []).some((p: any) => p?.hostPort !== undefined));
        if (index >= 0) return { path: [...base, 'spec', 'containers', index, 'ports'], anchor: 'key' };
      }
      if (event.message.includes('pod topology spread constraints') && spec.topologySpreadConstraints !== undefined) return { path: [...base, 'spec', 'topologySpreadConstraints'], anchor: 'key' };
      if (event.message.includes("didn't match pod anti-affinity rules") && spec.affinity?.podAntiAffinity !== undefined) return { path: [...base, 'spec', 'affinity', 'podAntiAffinity'], anchor: 'key' };
      if (event.message.includes("didn't match pod affinity rules") && spec.affinity?.podAffinity !== undefined) return { path: [...base, 'spec', 'affinity', 'podAffinity'], anchor: 'key' };
    }
    return podKey;
  }

  private range(input: InputObject, path: PathSegment[], anchor: Anchor): TraceSource | undefined {
    const full = [...input.prefix, ...path];
    const key = `${input.file}\u0000${input.document.index}\u0000${full.join('\u0001')}\u0000${anchor}`;
    const cached = this.ranges.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let source: TraceSource | null = null;
    if (pathExists(input.document.yaml, full)) {
      const r = rangeOfPath(input.document.yaml, input.parsed.lines, full, anchor);
      source = { file: input.file, line: r.start.line + 1, column: r.start.column + 1, endLine: r.end.line + 1, endColumn: r.end.column + 1, path: formatFieldPath(path) };
    }
    this.ranges.set(key, source);
    return source ?? undefined;
  }
}

/** Which of a StatefulSet's volumeClaimTemplates a claim comes from (`<template>-<set>-<ordinal>`); -1 for none. */
function claimTemplateIndex(set: any, claim: string): number {
  const templates: any[] = set.spec?.volumeClaimTemplates ?? [];
  return templates.findIndex((t) => {
    const prefix = `${t?.metadata?.name}-${set.metadata.name}-`;
    return claim.startsWith(prefix) && /^\d+$/.test(claim.slice(prefix.length));
  });
}

/**
 * The part of a message that decides its range. A probe failure is decided by which probe
 * failed ("Readiness probe failed"), never by its output after the colon, which names the
 * pod's IP and so differs for every pod.
 */
function decidingText(event: TraceEvent): string {
  if (event.reason !== 'Unhealthy') return event.message;
  const colon = event.message.indexOf(':');
  return colon < 0 ? event.message : event.message.slice(0, colon);
}

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}
