// events.k8s.io/v1 Events are the store's core/v1 Events in the newer shape, as kube-apiserver
// converts between the two versions of one stored object (pkg/apis/events/v1/conversion.go):
// involvedObject ↔ regarding, message ↔ note, source ↔ deprecatedSource, count and the
// timestamps ↔ their deprecated fields, reportingComponent ↔ reportingController.
import type { KubeObject } from '../sim/store/objects';

type Fields = Record<string, unknown>;

export function toEventsV1(event: KubeObject): KubeObject {
  const e = event as KubeObject & Fields;
  const out: Fields = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    ...(e.series ? { series: e.series } : {}),
    reportingController: e.reportingComponent || (e.source as Fields | undefined)?.component || '',
    reportingInstance: e.reportingInstance || (e.source as Fields | undefined)?.host || '',
    action: e.action ?? '',
    reason: e.reason,
    regarding: e.involvedObject,
    ...(e.related ? { related: e.related } : {}),
    note: e.message,
    type: e.type,
    ...(e.source ? { deprecatedSource: e.source } : {}),
    deprecatedFirstTimestamp: e.firstTimestamp ?? null,
    deprecatedLastTimestamp: e.lastTimestamp ?? null,
    deprecatedCount: e.count ?? 0,
  };
  return out as unknown as KubeObject;
}

export function fromEventsV1(event: Fields): KubeObject {
  const out: Fields = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: event.metadata,
    involvedObject: event.regarding ?? {},
    ...(event.related ? { related: event.related } : {}),
    reason: event.reason,
    message: event.note,
    type: event.type,
    source: event.deprecatedSource ?? {},
    count: event.deprecatedCount ?? 0,
    firstTimestamp: event.deprecatedFirstTimestamp ?? null,
    lastTimestamp: event.deprecatedLastTimestamp ?? null,
    eventTime: event.eventTime ?? null,
    ...(event.series ? { series: event.series } : {}),
    action: event.action,
    reportingComponent: event.reportingController ?? '',
    reportingInstance: event.reportingInstance ?? '',
  };
  return out as unknown as KubeObject;
}
