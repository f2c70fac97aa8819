// The candidate paths of an event, from the tables in sourceRules.ts: for a pod's event the
// part of its container and what its cause points to, then the container and the pod; for any
// other object's event the fields its cause, reason or kind names, under where the object sits
// in the manifest's object. The source mapper takes the first that the manifest sets.
import { at, listAt } from './manifestValue';
import type { PathSegment } from '../manifest/base/fieldPath';
import {
  containerParts,
  containerReasonParts,
  embeddings,
  fieldSegments,
  kindFields,
  podCausePaths,
  reasonFields,
  rootFields,
  type Candidates,
  type PodView,
} from './sourceRules';
import type { TraceEvent } from './model/traceEvent';

/**
 * A pod's event, within the pod (or template) at `base`: the part of its container the cause
 * or reason names, what the cause points to in the pod, the container, the pod.
 */
export function podCandidates(event: TraceEvent, root: unknown, base: readonly PathSegment[]): Candidates {
  const view: PodView = { pod: at(root, base), root, base };
  const cause = event.cause;
  const out: Candidates = [];
  const container = containerOf(event.fieldPath, view);
  if (container) {
    // An event with a cause maps by it; the reason's part is for events that have none.
    const parts = cause
      ? containerParts(cause)
      : containerReasonParts[event.reason]
        ? [containerReasonParts[event.reason]]
        : [];
    for (const part of parts) out.push([...container, ...part]);
  }
  if (cause) out.push(...podCausePaths(cause, view));
  if (container) out.push([...container, 'name']);
  out.push(base.length > 0 ? [...base] : ['metadata', 'name']);
  return out;
}

/**
 * An event of any other object: its cause's fields, else its reason's,
 * its kind's, its template, the fields of the object that made it.
 */
export function objectCandidates(
  event: TraceEvent,
  ownKind: string,
  place: readonly PathSegment[] | undefined,
  root: unknown,
): Candidates {
  const out: Candidates = [];
  if (place !== undefined) {
    const cause = event.cause;
    const fields =
      cause?.kind === 'fields'
        ? cause.fields
        : cause === undefined
          ? (reasonFields[ownKind]?.[event.reason] ?? [])
          : [];
    for (const field of [...fields, ...(kindFields[ownKind] ?? [])]) out.push([...place, ...fieldSegments(field)]);
    if (place.length > 0) out.push([...place]);
  }
  const rootKind = at(root, ['kind']);
  for (const field of (typeof rootKind === 'string' ? rootFields[rootKind] : undefined) ?? [])
    out.push(fieldSegments(field));
  return out;
}

/** A container event's field path, as Kubernetes events name it: `spec.containers{web}`. */
const containerFieldPath = /^spec\.(containers|initContainers|ephemeralContainers)\{(.+)\}$/;

/**
 * The path of the container an event's field path names, in the
 * manifest's pod; undefined for none, or one the manifest lacks.
 */
function containerOf(fieldPath: string | undefined, view: PodView): PathSegment[] | undefined {
  const match = fieldPath ? containerFieldPath.exec(fieldPath) : null;
  if (!match) return undefined;
  const index = listAt(view.pod, ['spec', match[1]]).findIndex((c) => at(c, ['name']) === match[2]);
  return index < 0 ? undefined : [...view.base, 'spec', match[1], index];
}

/** Where a kind keeps its pod template ([] for a Pod); undefined for a kind that has none. */
export function podPlace(object: unknown): readonly PathSegment[] | undefined {
  const kind = at(object, ['kind']);
  return kind === 'Pod' ? [] : typeof kind === 'string' ? embeddings[kind]?.Pod : undefined;
}
