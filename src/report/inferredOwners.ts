// Controller owners told from names, for exports written from the compact form, which carries
// each object's kind, namespace, name and uid but not its ownerReferences. Controllers name
// what they create after themselves: a Deployment's ReplicaSet is `<deployment>-<template
// hash>`, a ReplicaSet's, DaemonSet's or Job's pod `<owner>-<5 characters>`, a StatefulSet's
// pod `<set>-<ordinal>`, a CronJob's Job `<cronjob>-<scheduled minute>`, a Service's
// EndpointSlice `<service>-<5 characters>`, a generic ephemeral volume's claim
// `<pod>-<volume>`. An object whose name has that form and an object of the owner's kind and
// name in its namespace is taken to be owned by it. The simulator's own lineage is exact and
// is used where it is at hand (the CLI); this is the fallback, and says so in its name.
import type { OwnerOf } from '../core/trace/traceObjects';
import type { ObjectRef } from '../core/trace/traceEvent';

interface OwnerRule {
  readonly kind: string;
  /** What follows the owner's name and a dash. */
  readonly suffix: RegExp;
}

const generated = /^[a-z0-9]{5}$/;

/** For each kind, the kinds that create such objects and the names they give them. */
const ownerRules: Readonly<Record<string, readonly OwnerRule[]>> = {
  Pod: [
    { kind: 'ReplicaSet', suffix: generated },
    { kind: 'DaemonSet', suffix: generated },
    { kind: 'Job', suffix: generated },
    { kind: 'ReplicationController', suffix: generated },
    { kind: 'StatefulSet', suffix: /^\d+$/ },
  ],
  ReplicaSet: [{ kind: 'Deployment', suffix: /^[a-z0-9]+$/ }],
  Job: [{ kind: 'CronJob', suffix: /^\d+$/ }],
  EndpointSlice: [{ kind: 'Service', suffix: generated }],
  PersistentVolumeClaim: [{ kind: 'Pod', suffix: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ }],
};

const nameKey = (kind: string, namespace: string | null, name: string) =>
  `${kind}\u0000${namespace ?? ''}\u0000${name}`;

/**
 * Owners told from names among `objects` (in the order they first appeared in the trace, as a
 * decoder's object table holds them). Where an owner's name was used by several objects in
 * turn (deleted and created again), the child belongs to the last one that appeared before it.
 */
export function ownersFromNames(objects: readonly ObjectRef[]): OwnerOf {
  const position = new Map<string, number>();
  const instances = new Map<string, { readonly ref: ObjectRef; readonly at: number }[]>();
  objects.forEach((ref, at) => {
    if (ref.uid === null || position.has(ref.uid)) return;
    position.set(ref.uid, at);
    const key = nameKey(ref.kind, ref.namespace, ref.name);
    const list = instances.get(key);
    if (list) list.push({ ref, at });
    else instances.set(key, [{ ref, at }]);
  });
  return (child) => {
    const rules = ownerRules[child.kind];
    if (!rules || child.uid === null) return undefined;
    const at = position.get(child.uid) ?? Number.MAX_SAFE_INTEGER;
    // The longest owner name first: the dashes from the right.
    for (let dash = child.name.lastIndexOf('-'); dash > 0; dash = child.name.lastIndexOf('-', dash - 1)) {
      const prefix = child.name.slice(0, dash);
      const suffix = child.name.slice(dash + 1);
      for (const rule of rules) {
        if (!rule.suffix.test(suffix)) continue;
        const candidates = instances.get(nameKey(rule.kind, child.namespace, prefix));
        if (!candidates) continue;
        const before = candidates.filter((c) => c.at <= at && c.ref.uid !== child.uid);
        return (before.length > 0 ? before[before.length - 1] : candidates[0]).ref;
      }
    }
    return undefined;
  };
}
