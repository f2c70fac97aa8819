// application/apply-patch+yaml: server-side apply with field ownership, after structured-merge-diff's
// merge.Updater (Apply and Update) as the apiserver's field manager runs it. An Apply merges the
// configuration into the live object, fails with 409 on fields another manager owns and this one
// would change (unless forced, when they change hands), removes the fields this manager applied
// before and no longer applies unless someone else owns them, and records the manager's set. An
// Update (any other write) moves the fields it changes to its manager.
import { ApiError } from '../../sim/store/apiError';
import type { FieldPath } from './fieldSet';
import { FieldSet, pathText } from './fieldSet';
import type { JsonObject } from './jsonValue';
import { isJsonObject, withoutKey } from './jsonValue';
import type { Manager } from './managedFields';
import { managerLabel, readManagers, sameManager, withManagers } from './managedFields';
import { mergeApplied, removeFields } from './applyMerge';
import { compareFields, fieldSetOf } from './objectFields';
import type { FieldSchema } from './patchSchema';

export interface WriteContext {
  readonly manager: string;
  /** The apiVersion the request used (the object's, for an apply). */
  readonly apiVersion: string;
  /** RFC 3339 time of the write, from the simulator's clock. */
  readonly now: string;
  readonly schema: FieldSchema;
  /** `status` for a write to the status subresource; the main resource's writes do not own status. */
  readonly subresource?: string;
}

export interface ApplyRequest extends WriteContext {
  /** The object as stored, or undefined when the apply creates it. */
  readonly live: JsonObject | undefined;
  readonly config: JsonObject;
  readonly force: boolean;
}

interface Conflict {
  readonly manager: Manager;
  readonly path: FieldPath;
}

/** The apiserver's NewConflictError: 409 Conflict with one FieldManagerConflict cause per field. */
function conflictError(conflicts: readonly Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${managerLabel(c.manager)}`,
    field: pathText(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts;
    message = `Apply failed with 1 conflict: conflict with ${managerLabel(only.manager)}: ${pathText(only.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const label = managerLabel(c.manager);
      byManager.set(label, [...(byManager.get(label) ?? []), `- ${pathText(c.path)}`]);
    }
    const lines = [...byManager.keys()]
      .sort()
      .flatMap((label) => [`conflicts with ${label}:`, ...byManager.get(label)!]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

/** Drops what a write to the main resource (or to a subresource) does not own: status, or all but status. */
function scoped(set: FieldSet, subresource: string | undefined): FieldSet {
  return new FieldSet(set.paths().filter((p) => (subresource === 'status') === (p[0] === 'f:status')));
}

function withoutManagedFields(object: JsonObject): JsonObject {
  return isJsonObject(object.metadata) ? { ...object, metadata: withoutKey(object.metadata, 'managedFields') } : object;
}

/**
 * Applies a configuration. Returns the new object with its managedFields; throws ApiError 409 on
 * conflicts when not forced.
 */
export function serverSideApply(request: ApplyRequest): JsonObject {
  const { live, schema, subresource } = request;
  if (isJsonObject(request.config.metadata) && request.config.metadata.managedFields !== undefined) {
    throw new ApiError(400, 'BadRequest', 'metadata.managedFields must be nil');
  }
  let config = request.config;
  // The main resource's writes reset status (and the status subresource's reset the rest).
  if (subresource !== 'status') config = withoutKey(config, 'status');
  const me = { manager: request.manager, operation: 'Apply' as const, apiVersion: request.apiVersion, subresource };
  let managers = readManagers(live);
  if (live && managers.length === 0) {
    // An object written before anyone applied: its fields belong to a stand-in manager, so that
    // the first apply neither takes them silently nor removes them.
    const all = scoped(fieldSetOf(withoutManagedFields(live), schema), subresource);
    managers = [{ manager: 'before-first-apply', operation: 'Update', apiVersion: request.apiVersion, fields: all }];
  }
  const configSet = scoped(fieldSetOf(config, schema), subresource);
  const base = live ? withoutManagedFields(live) : {};
  const merged = mergeApplied(base, config, schema) as JsonObject;
  const comparison = compareFields(base, merged, schema);
  const changed = comparison.added.union(comparison.modified).union(comparison.removed);
  const conflicts: Conflict[] = [];
  for (const m of managers) {
    if (sameManager(m, me)) continue;
    for (const path of m.fields.intersection(changed).paths()) conflicts.push({ manager: m, path });
  }
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts);
  const previous = managers.find((m) => sameManager(m, me))?.fields ?? new FieldSet();
  const others = managers
    .filter((m) => !sameManager(m, me))
    .map((m) => ({ ...m, fields: m.fields.difference(changed) }));
  const ownedByOthers = others.reduce((acc, m) => acc.union(m.fields), new FieldSet());
  const orphaned = previous.difference(configSet).difference(ownedByOthers);
  const result = removeFields(merged, orphaned, schema);
  // A manager whose set did not change keeps its time, as the apiserver's managed fields updater
  // keeps it: an apply that changes nothing then leaves the object as stored, and is not written.
  const index = managers.findIndex((m) => sameManager(m, me));
  const kept =
    index >= 0 &&
    changed.size === 0 &&
    previous.difference(configSet).size === 0 &&
    configSet.difference(previous).size === 0
      ? managers[index].time
      : undefined;
  const mine: Manager = { ...me, time: kept ?? request.now, fields: configSet };
  const next =
    index >= 0
      ? managers.map((m) => (sameManager(m, me) ? mine : others.find((o) => sameManager(o, m))!))
      : [...others, mine];
  return withManagers(result, next);
}

/**
 * The managers an Update starts from: the ones the request itself sets (a client may rewrite
 * managedFields, as kubectl does when it moves client-side apply to server-side apply), unless
 * it sets none, sets ones that do not decode, or writes a subresource; then the live object's.
 */
function baseManagers(before: JsonObject | undefined, after: JsonObject, subresource: string | undefined): Manager[] {
  if (subresource === undefined) {
    try {
      const given = readManagers(after);
      if (given.length > 0) return given;
    } catch {
      // Undecodable managedFields in a request are ignored, as the apiserver's field manager does.
    }
  }
  return readManagers(before);
}

export interface UpdateRequest extends WriteContext {
  readonly before: JsonObject | undefined;
  readonly after: JsonObject;
}

/**
 * Records an Update (create, update, or a JSON, merge or strategic patch): the fields it added or
 * changed move to its manager, and the fields it removed leave every manager.
 */
export function recordUpdate(request: UpdateRequest): JsonObject {
  const { before, schema, subresource } = request;
  const after = withoutManagedFields(request.after);
  const me = { manager: request.manager, operation: 'Update' as const, apiVersion: request.apiVersion, subresource };
  const managers = baseManagers(before, request.after, subresource);
  const comparison = compareFields(before ? withoutManagedFields(before) : undefined, after, schema);
  const taken = scoped(comparison.added.union(comparison.modified), subresource);
  const changed = taken.union(comparison.removed);
  const previous = managers.find((m) => sameManager(m, me))?.fields ?? new FieldSet();
  const mine: Manager = { ...me, time: request.now, fields: previous.union(taken).difference(comparison.removed) };
  const next: Manager[] = [];
  let placed = false;
  for (const m of managers) {
    if (sameManager(m, me)) {
      next.push(mine);
      placed = true;
    } else next.push({ ...m, fields: m.fields.difference(changed) });
  }
  if (!placed && taken.size > 0) next.push(mine);
  // Nothing changed: the entry keeps its old time, as the apiserver skips no-op updates.
  if (changed.size === 0) return withManagers(after, managers);
  return withManagers(after, next);
}
