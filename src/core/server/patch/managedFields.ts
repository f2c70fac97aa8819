// metadata.managedFields: one entry per manager and operation, each with the set of fields the
// manager owns in FieldsV1 form, read and written as apimachinery's managedfields package does
// (internal/managedfields.go, conflict.go).
import { FieldSet } from './fieldSet';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonArray, isJsonObject } from './jsonValue';

export type ManagerOperation = 'Apply' | 'Update';

export interface Manager {
  readonly manager: string;
  readonly operation: ManagerOperation;
  readonly apiVersion: string;
  readonly time?: string;
  readonly subresource?: string;
  readonly fields: FieldSet;
}

/**
 * Whether two entries belong to the same manager: the same name, operation and subresource, and
 * for an Update the same apiVersion (the apiserver's BuildManagerIdentifier leaves the time out).
 */
export function sameManager(a: Omit<Manager, 'fields'>, b: Omit<Manager, 'fields'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** The manager as conflicts name it: `"kubectl"`, or `"kubectl-client-side-apply" using apps/v1` for an Update. */
export function managerLabel(m: Omit<Manager, 'fields'>): string {
  let label = JSON.stringify(m.manager);
  if (m.subresource) label += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${label} using ${m.apiVersion}` : label;
}

/** The managers recorded on an object; an entry that does not decode is an error naming it. */
export function readManagers(object: JsonObject | undefined): Manager[] {
  const metadata = object?.metadata;
  const entries = isJsonObject(metadata) ? metadata.managedFields : undefined;
  if (entries === undefined || entries === null) return [];
  if (!isJsonArray(entries))
    throw new Error(`metadata.managedFields: expected a list, found ${JSON.stringify(entries)}`);
  return entries.map((entry, index) => {
    const where = `metadata.managedFields[${index}]`;
    if (!isJsonObject(entry)) throw new Error(`${where}: expected an object, found ${JSON.stringify(entry)}`);
    const operation = entry.operation;
    if (operation !== 'Apply' && operation !== 'Update') {
      throw new Error(`${where}.operation: expected Apply or Update, found ${JSON.stringify(operation)}`);
    }
    if (entry.fieldsType !== undefined && entry.fieldsType !== 'FieldsV1') {
      throw new Error(`${where}.fieldsType: expected FieldsV1, found ${JSON.stringify(entry.fieldsType)}`);
    }
    return {
      manager: typeof entry.manager === 'string' ? entry.manager : '',
      operation,
      apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : '',
      time: typeof entry.time === 'string' ? entry.time : undefined,
      subresource: typeof entry.subresource === 'string' && entry.subresource ? entry.subresource : undefined,
      fields: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}, `${where}.fieldsV1`),
    };
  });
}

/** The managedFields entries of a list of managers; a manager that owns nothing is dropped. */
export function writeManagers(managers: readonly Manager[]): JsonObject[] {
  return managers
    .filter((m) => m.fields.size > 0)
    .map((m) => {
      const entry: Record<string, JsonValue> = {
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
      };
      if (m.time !== undefined) entry.time = m.time;
      entry.fieldsType = 'FieldsV1';
      entry.fieldsV1 = m.fields.toFieldsV1();
      if (m.subresource) entry.subresource = m.subresource;
      return entry;
    });
}

/** An object with its managedFields replaced (or removed when no manager owns anything). */
export function withManagers(object: JsonObject, managers: readonly Manager[]): JsonObject {
  const metadata: Record<string, JsonValue> = isJsonObject(object.metadata) ? { ...object.metadata } : {};
  const entries = writeManagers(managers);
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...object, metadata };
}

/**
 * The manager name of a request without fieldManager: the user agent up to its first `/`
 * (`kubectl/v1.32.0 (linux/amd64)` is `kubectl`), as the apiserver's managerOrUserAgent does.
 */
export function managerFromUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const agent = userAgent ?? '';
  const slash = agent.indexOf('/');
  return slash >= 0 ? agent.slice(0, slash) : agent;
}
