// A real cluster's Event, from either API (core/v1 or events.k8s.io/v1, which read the same
// storage), in one shape: what it is about, who reported it, how many times it happened, and
// when it last did. Events come off the wire as plain JSON; anything that does not look like
// an Event is refused with what was expected and what was found.
import type { KubeObject } from '../sim/store/objects';

export interface KubeEventView {
  /** The Event object's uid: repeats of one event are updates of it. */
  readonly uid: string;
  readonly resourceVersion: string;
  readonly involved: {
    readonly kind: string;
    readonly namespace: string | null;
    readonly name: string;
    readonly uid: string | null;
    readonly fieldPath: string | undefined;
  };
  readonly reason: string;
  readonly message: string;
  readonly severity: 'Normal' | 'Warning';
  /** The reporting component: `kubelet`, `default-scheduler`, `deployment-controller`, ... */
  readonly component: string;
  /** The node of a kubelet's event (source.host, or reportingInstance). */
  readonly host: string | null;
  /** How many times it happened so far (count, or the series' count). */
  readonly count: number;
  /** When it last happened, in epoch milliseconds. */
  readonly lastMs: number;
  /** Whether `lastMs` has microsecond precision (eventTime, lastObservedTime) or only seconds. */
  readonly precise: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function timeOf(value: unknown): number | undefined {
  const s = str(value);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** The Event in one shape, or an error that says which field was missing. */
export function viewOfEvent(object: KubeObject): KubeEventView {
  const where = `Event ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? '?'}`;
  const v1 = object.apiVersion === 'events.k8s.io/v1';
  const involvedRaw = v1 ? object.regarding : object.involvedObject;
  if (!isRecord(involvedRaw))
    throw new Error(
      `${where}: expected ${v1 ? 'regarding' : 'involvedObject'} to be an object, found ${typeof involvedRaw}`,
    );
  const kind = str(involvedRaw.kind);
  const name = str(involvedRaw.name);
  if (kind === undefined || name === undefined)
    throw new Error(`${where}: expected the involved object's kind and name, found ${JSON.stringify(involvedRaw)}`);
  const series = isRecord(object.series) ? object.series : undefined;
  const source = isRecord(object.source) ? object.source : undefined;
  const deprecatedSource = isRecord(object.deprecatedSource) ? object.deprecatedSource : undefined;
  const component =
    str(v1 ? object.reportingController : object.reportingComponent) ??
    str(source?.component) ??
    str(deprecatedSource?.component) ??
    str(object.reportingController) ??
    '';
  const host =
    str(source?.host) ??
    str(deprecatedSource?.host) ??
    (component === 'kubelet' ? str(object.reportingInstance) : undefined);
  const preciseTime = timeOf(series?.lastObservedTime) ?? timeOf(object.eventTime);
  const coarseTime =
    timeOf(v1 ? object.deprecatedLastTimestamp : object.lastTimestamp) ??
    timeOf(v1 ? object.deprecatedFirstTimestamp : object.firstTimestamp) ??
    timeOf(object.metadata?.creationTimestamp);
  const count =
    (typeof series?.count === 'number' ? series.count : undefined) ??
    (typeof object.count === 'number' ? object.count : undefined) ??
    (typeof object.deprecatedCount === 'number' ? object.deprecatedCount : undefined) ??
    1;
  // A core/v1 repeat moves lastTimestamp on and leaves eventTime as it was: the later one is the repeat's.
  const precise = preciseTime !== undefined && (coarseTime === undefined || preciseTime >= coarseTime - 999);
  return {
    uid: object.metadata?.uid ?? `${where}`,
    resourceVersion: object.metadata?.resourceVersion ?? '',
    involved: {
      kind,
      namespace: str(involvedRaw.namespace) ?? null,
      name,
      uid: str(involvedRaw.uid) ?? null,
      fieldPath: str(involvedRaw.fieldPath),
    },
    reason: str(object.reason) ?? '',
    message: str(v1 ? object.note : object.message) ?? '',
    severity: object.type === 'Warning' ? 'Warning' : 'Normal',
    component,
    host: host ?? null,
    count,
    lastMs: precise ? preciseTime! : (coarseTime ?? preciseTime ?? 0),
    precise,
  };
}
