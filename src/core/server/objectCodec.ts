// Objects between the store and the wire: the store keeps each resource in one version; the
// events.k8s.io/v1 API reads and writes the same Events in its own shape.
import { keyOf, type KubeObject } from '../sim/store/objects';
import type { ServedResource } from './apiResources';
import { fromEventsV1, toEventsV1 } from './eventsApi';
import type { WallTime } from './wallTime';

/** The object as the requested API version shows it, its timestamps on the wall clock. */
export function present(resource: ServedResource, object: KubeObject, time: WallTime): KubeObject {
  return time.toWall(resource.group === 'events.k8s.io' ? toEventsV1(object) : object);
}

/** A request's object in the store's version, its timestamps in virtual time. */
export function toStored(resource: ServedResource, object: Record<string, unknown>, time: WallTime): KubeObject {
  const stored = time.toVirtual(object);
  return resource.group === 'events.k8s.io' ? fromEventsV1(stored) : (stored as unknown as KubeObject);
}

/** Store keys sort as upstream's etcd keys do: by namespace, then name. */
export function byKey(a: KubeObject, b: KubeObject): number {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
