// What a printer is: the columns of one kind (upstream's TableColumnDefinition) and a function
// from one object to its cells, in the columns' order. The server always prints every column, as
// the apiserver's table convertor does (Wide); kubectl hides priority-1 columns unless `-o wide`.

export type CellValue = string | number | boolean;

export interface ColumnDefinition {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface PrintContext {
  /** Milliseconds since the epoch by the simulator's clock, for ages. */
  readonly nowMs: number;
}

export interface Printer {
  readonly columns: readonly ColumnDefinition[];
  cells(object: Readonly<Record<string, unknown>>, context: PrintContext): CellValue[];
}

/** A column; `wide` columns have priority 1 and show only under `-o wide`. */
export function column(
  name: string,
  type: ColumnDefinition['type'],
  description: string,
  options: { wide?: boolean; format?: string } = {},
): ColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.wide ? 1 : 0 };
}

export const nameColumn = column('Name', 'string', 'Name must be unique within a namespace. Cannot be updated.', {
  format: 'name',
});
export const ageColumn = column(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

/** The value at a chain of keys, or undefined where one is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

export function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(record(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): matchLabels as `k=v`, expressions as `k in (a,b)`,
 * `k notin (a)`, `k`, `!k`, sorted by key; `<none>` for a missing selector.
 */
export function formatSelector(selector: unknown): string {
  if (selector === undefined || selector === null) return '<none>';
  const parts: [string, string][] = [];
  for (const [k, v] of Object.entries(record(at(selector, 'matchLabels')))) parts.push([k, `${k}=${String(v)}`]);
  for (const expression of list(at(selector, 'matchExpressions'))) {
    const key = text(at(expression, 'key'));
    const values = list(at(expression, 'values')).map(String).sort();
    switch (at(expression, 'operator')) {
      case 'In':
        parts.push([key, `${key} in (${values.join(',')})`]);
        break;
      case 'NotIn':
        parts.push([key, `${key} notin (${values.join(',')})`]);
        break;
      case 'Exists':
        parts.push([key, key]);
        break;
      case 'DoesNotExist':
        parts.push([key, `!${key}`]);
        break;
    }
  }
  return parts
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => s)
    .join(',');
}

/** The names and images of a pod template's containers, as the workloads' wide columns join them. */
export function templateContainers(template: unknown): [string, string] {
  const containers = list(at(template, 'spec', 'containers'));
  return [containers.map((c) => text(at(c, 'name'))).join(','), containers.map((c) => text(at(c, 'image'))).join(',')];
}
