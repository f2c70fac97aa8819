// A kubeconfig context as a ClusterTarget: server-side apply (PATCH with
// application/apply-patch+yaml, fieldManager podtrace), deletes with DeleteOptions, server dry
// runs (dryRun=All), and a trace stream from watches. Resources are found by discovery, as
// kubectl finds them, so custom resources apply too. The transport carries the kubeconfig's TLS
// and credentials (client-node prepares them, in the bundle that loads this); this file does not
// import client-node.
import type { KubeObject } from '../sim/store/objects';
import type { ApiTransport } from './apiTransport';
import {
  podtraceFieldManager,
  targetRefOf,
  type ApplyOptions,
  type ClusterTarget,
  type DeleteOptions,
  type ObjectOutcome,
  type TargetDescription,
  type TraceRequest,
  type TraceSink,
  type TraceStream,
} from './clusterTarget';
import type { WatchClient, WatchTimers } from './resumableWatch';
import { appliedObject, sameApplied } from './simApply';
import { connectionFailure, statusOfResponse } from './targetStatus';
import { collectionPath } from './watchPlan';
import { startWatchTrace } from './watchTraceStream';

interface DiscoveredResource {
  readonly name: string;
  readonly namespaced: boolean;
}

/** The messages of the apiserver's Warning headers (`299 - "message"`). */
export function warningsOf(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const values = Array.isArray(header) ? header : [header];
  return values.flatMap((v) =>
    [...v.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1')),
  );
}

export interface KubeconfigTargetOptions {
  readonly transport: ApiTransport;
  readonly description: TargetDescription;
  readonly timers: WatchTimers;
}

export class KubeconfigTarget implements ClusterTarget {
  private readonly discovered = new Map<string, Promise<Map<string, DiscoveredResource>>>();
  private readonly streams = new Set<TraceStream>();
  private closed = false;

  constructor(private readonly options: KubeconfigTargetOptions) {}

  describe(): TargetDescription {
    return this.options.description;
  }

  /** The resources of a group version, by kind (discovery, once per group version). */
  private resources(apiVersion: string): Promise<Map<string, DiscoveredResource>> {
    let found = this.discovered.get(apiVersion);
    if (!found) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      found = this.options.transport.request({ method: 'GET', path }).then((r) => {
        const byKind = new Map<string, DiscoveredResource>();
        const list = (r.body as { resources?: { name?: string; kind?: string; namespaced?: boolean }[] }).resources;
        if (r.code === 200 && Array.isArray(list))
          for (const res of list)
            if (res.name && res.kind && !res.name.includes('/') && !byKind.has(res.kind))
              byKind.set(res.kind, { name: res.name, namespaced: res.namespaced === true });
        return byKind;
      });
      // A failed discovery is asked again next time rather than remembered.
      found.catch(() => this.discovered.delete(apiVersion));
      this.discovered.set(apiVersion, found);
    }
    return found;
  }

  /** The object's URL path, or the failure to find its resource. */
  private async locate(object: KubeObject): Promise<{ path: string; namespace: string | null } | ObjectOutcome> {
    const ref = targetRefOf(object, this.options.description.namespace);
    let resources: Map<string, DiscoveredResource>;
    try {
      resources = await this.resources(object.apiVersion);
    } catch (error) {
      return { ok: false, ref, status: connectionFailure(`discovery of ${object.apiVersion}`, error), warnings: [] };
    }
    const resource = resources.get(object.kind);
    if (!resource)
      return {
        ok: false,
        ref,
        warnings: [],
        // As kubectl says of a kind the server's discovery does not list.
        status: {
          code: 404,
          reason: 'NotFound',
          message: `no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
          causes: [],
        },
      };
    const namespace = resource.namespaced ? ref.namespace : null;
    const name = encodeURIComponent(ref.name);
    return { path: `${collectionPath(object.apiVersion, resource.name, namespace)}/${name}`, namespace };
  }

  apply(objects: readonly KubeObject[], options: ApplyOptions = {}): Promise<ObjectOutcome[]> {
    return this.inTurn(objects, (o) => this.applyOne(o, options));
  }

  dryRun(objects: readonly KubeObject[], options: Omit<ApplyOptions, 'dryRun'> = {}): Promise<ObjectOutcome[]> {
    return this.apply(objects, { ...options, dryRun: true });
  }

  delete(objects: readonly KubeObject[], options: DeleteOptions = {}): Promise<ObjectOutcome[]> {
    return this.inTurn(objects, (o) => this.deleteOne(o, options));
  }

  private async inTurn(
    objects: readonly KubeObject[],
    one: (object: KubeObject) => Promise<ObjectOutcome>,
  ): Promise<ObjectOutcome[]> {
    if (this.closed) throw new Error(`kubeconfig target ${this.options.description.name}: used after close()`);
    const out: ObjectOutcome[] = [];
    for (const object of objects) out.push(await one(object));
    return out;
  }

  private async applyOne(object: KubeObject, options: ApplyOptions): Promise<ObjectOutcome> {
    const located = await this.locate(object);
    if ('ok' in located) return located;
    const ref = targetRefOf(object, located.namespace);
    const { transport } = this.options;
    try {
      const before = await transport.request({ method: 'GET', path: located.path });
      const query = new URLSearchParams({
        fieldManager: podtraceFieldManager,
        fieldValidation: options.fieldValidation ?? 'Strict',
      });
      if (options.force) query.set('force', 'true');
      if (options.dryRun) query.set('dryRun', 'All');
      const metadata = { ...object.metadata, ...(located.namespace === null ? {} : { namespace: located.namespace }) };
      // JSON is YAML: the apply patch is the object as the manifest has it.
      const response = await transport.request({
        method: 'PATCH',
        path: `${located.path}?${query}`,
        body: { ...object, metadata },
        contentType: 'application/apply-patch+yaml',
      });
      const prior = before.code === 200 ? (before.body as KubeObject) : undefined;
      if (response.code === 415) return this.applyWithoutPatch(object, located, prior, query);
      const warnings = warningsOf(response.headers.warning);
      if (response.code >= 300)
        return { ok: false, ref, status: statusOfResponse(response.code, response.body), warnings };
      const stored = response.body as KubeObject;
      const unchanged =
        prior !== undefined &&
        (options.dryRun
          ? sameApplied(prior, stored)
          : prior.metadata.resourceVersion === stored.metadata?.resourceVersion);
      return {
        ok: true,
        ref: { ...ref, uid: stored.metadata?.uid ?? null },
        object: stored,
        operation: prior === undefined ? 'created' : unchanged ? 'unchanged' : 'configured',
        warnings,
      };
    } catch (error) {
      return { ok: false, ref, status: connectionFailure(`apply of ${ref.kind} ${ref.name}`, error), warnings: [] };
    }
  }

  /**
   * Apply for a server that does not take apply patches (415): create what is missing (POST),
   * replace what differs (PUT, from the stored version, keeping what the cluster set), write
   * nothing when the stored object already holds the configuration. Said in a warning.
   */
  private async applyWithoutPatch(
    object: KubeObject,
    located: { readonly path: string; readonly namespace: string | null },
    prior: KubeObject | undefined,
    query: URLSearchParams,
  ): Promise<ObjectOutcome> {
    const ref = targetRefOf(object, located.namespace);
    const info = {
      resource: '',
      kind: object.kind,
      apiVersion: object.apiVersion,
      namespaced: located.namespace !== null,
    };
    const applied = appliedObject(object, info, located.namespace);
    const fallback = 'the server does not take server-side apply patches (415): applied with create or replace instead';
    if (prior && sameApplied(prior, applied))
      return {
        ok: true,
        ref: { ...ref, uid: prior.metadata.uid ?? null },
        object: prior,
        operation: 'unchanged',
        warnings: [fallback],
      };
    query.delete('force');
    const body = prior ? { ...prior, ...applied, metadata: { ...prior.metadata, ...applied.metadata } } : applied;
    const collection = located.path.slice(0, located.path.lastIndexOf('/'));
    const response = await this.options.transport.request({
      method: prior ? 'PUT' : 'POST',
      path: `${prior ? located.path : collection}?${query}`,
      body,
    });
    const warnings = [fallback, ...warningsOf(response.headers.warning)];
    if (response.code >= 300)
      return { ok: false, ref, status: statusOfResponse(response.code, response.body), warnings };
    const stored = response.body as KubeObject;
    return {
      ok: true,
      ref: { ...ref, uid: stored.metadata?.uid ?? null },
      object: stored,
      operation: prior ? 'configured' : 'created',
      warnings,
    };
  }

  private async deleteOne(object: KubeObject, options: DeleteOptions): Promise<ObjectOutcome> {
    const located = await this.locate(object);
    if ('ok' in located) return located;
    const ref = targetRefOf(object, located.namespace);
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: options.propagationPolicy ?? 'Background',
      ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
      ...(options.dryRun ? { dryRun: ['All'] } : {}),
    };
    try {
      const response = await this.options.transport.request({ method: 'DELETE', path: located.path, body });
      const warnings = warningsOf(response.headers.warning);
      if (response.code >= 300)
        return { ok: false, ref, status: statusOfResponse(response.code, response.body), warnings };
      // The object marked for deletion, or a Status when it went at once.
      const answered = response.body as KubeObject;
      const stored = answered.kind === 'Status' ? object : answered;
      return {
        ok: true,
        ref: { ...ref, uid: stored.metadata?.uid ?? null },
        object: stored,
        operation: 'deleted',
        warnings,
      };
    } catch (error) {
      return { ok: false, ref, status: connectionFailure(`delete of ${ref.kind} ${ref.name}`, error), warnings: [] };
    }
  }

  /** Lists and watches over the transport, for the trace's resumable watches. */
  private watchClient(): WatchClient {
    const { transport, timers } = this.options;
    return {
      async list(path) {
        const r = await transport.request({ method: 'GET', path });
        if (r.code !== 200) {
          const status = statusOfResponse(r.code, r.body);
          throw Object.assign(new Error(`list ${path}: ${status.message}`), { code: status.code });
        }
        const list = r.body as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
        return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '' };
      },
      watch(path, resourceVersion, onEvent, onClose) {
        const query = new URLSearchParams({ watch: '1', resourceVersion, allowWatchBookmarks: 'true' });
        // The server ends a watch after this, as client-go's reflector asks (5 to 10 minutes); it resumes at once.
        query.set('timeoutSeconds', String(300 + (Math.floor(timers.now()) % 300)));
        return transport.stream(`${path}?${query}`, { onEvent, onClose });
      },
    };
  }

  trace(request: TraceRequest, sink: TraceSink): TraceStream {
    if (this.closed) throw new Error(`kubeconfig target ${this.options.description.name}: trace() after close()`);
    let handle: TraceStream | undefined = undefined;
    const stream = startWatchTrace(
      {
        client: this.watchClient(),
        objects: request.objects,
        defaultNamespace: this.options.description.namespace,
        timers: this.options.timers,
      },
      {
        onStep: sink.onStep,
        onEnd: (end) => {
          if (handle) this.streams.delete(handle);
          sink.onEnd(end);
        },
      },
    );
    const opened: TraceStream = {
      lineage: stream.lineage,
      stop: () => {
        this.streams.delete(opened);
        stream.stop();
      },
    };
    handle = opened;
    this.streams.add(opened);
    return opened;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of [...this.streams]) s.stop();
  }
}
