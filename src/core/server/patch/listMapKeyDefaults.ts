// The defaults of list-map key fields. structured-merge-diff names an item of an
// x-kubernetes-list-type: map list by its key fields, and a key field the item leaves out takes
// the default its schema declares (typed/helpers.go, keyedAssociativeListItemToPathElement). So a
// Service port applied as `{port: 80}` is the same item as the stored `{port: 80, protocol: TCP}`,
// and re-applying a manifest leaves it as it is instead of adding a second port. The compact
// schema snapshot keeps no defaults; these are the key fields whose OpenAPI default is not the
// zero value (a missing "" or 0 key is an invalid item anyway), in 1.32 and 1.35 alike: a test
// reads the OpenAPI documents and checks this table against them.
import type { JsonValue } from './jsonValue';

/** By the item's schema definition: each defaulted key field and its default. */
export const listMapKeyDefaults: Readonly<Record<string, Readonly<Record<string, JsonValue>>>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};
