// Typed reading of a scenario action's fields: each reader says which action, which field,
// what was expected and what was found, and where in the scenario file (the line of the
// field when the YAML has one, else the action's), so that a malformed scenario is an
// error the user can go to rather than a crash or a NaN run on.
import { isMap, LineCounter, type Node } from 'yaml';

/** A scenario that cannot be read or run. `line` (1-based) is where in the scenario file, when known. */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Where an action came from: its 1-based position in the list and its line in the file. */
export interface ActionOrigin {
  readonly action: number;
  readonly line: number;
}

/** The largest int32, the apiserver's bound for replicas and most counts. */
export const maxInt32 = 2_147_483_647;

/** Shows a found value as the scenario spelled it, briefly. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One action's fields, read with the place of each in the file. */
export class ActionFields {
  readonly where: string;

  constructor(
    readonly origin: ActionOrigin,
    private readonly node: Node | undefined,
    private readonly lines: LineCounter,
  ) {
    this.where = `action ${origin.action}`;
  }

  /**
   * The 1-based line of the field at `path` (keys under the action); for a field that is
   * missing, the line of the nearest field above it that is there, or the action's own.
   */
  lineOf(path: readonly string[]): number {
    for (let n = path.length; n > 0 && isMap(this.node); n--) {
      const range = (this.node.getIn(path.slice(0, n), true) as Node | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return this.origin.line;
  }

  /** An error at the field `path` ("scale.replicas"), saying what was expected and what was found. */
  error(path: readonly string[], expected: string, ...found: [] | [unknown]): ScenarioError {
    const field = path.length > 0 ? `${path.join('.')}: ` : '';
    return new ScenarioError(
      `${this.where}: ${field}expected ${expected}${found.length > 0 ? `, got ${shown(found[0])}` : ''}`,
      this.lineOf(path),
    );
  }

  /** A non-empty string. */
  name(value: unknown, path: readonly string[], what: string): string {
    if (typeof value === 'string' && value !== '') return value;
    throw this.error(path, what, value);
  }

  optionalString(value: unknown, path: readonly string[], what: string): string | undefined {
    return value === undefined || value === null ? undefined : this.name(value, path, what);
  }

  /** A whole number in [min, max]. */
  integer(value: unknown, path: readonly string[], min: number, max: number, what: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    throw this.error(path, `${what}: a whole number from ${min} to ${max}`, value);
  }

  /** A mapping (an object that is not a list). */
  mapping(value: unknown, path: readonly string[], what: string): Record<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw this.error(path, what, value);
  }

  /** A mapping of strings to strings (labels). */
  stringMap(value: unknown, path: readonly string[]): Record<string, string> | undefined {
    if (value === undefined || value === null) return undefined;
    const map = this.mapping(value, path, 'a mapping of label keys to values');
    for (const [key, v] of Object.entries(map)) {
      if (typeof v !== 'string') throw this.error([...path, key], 'a string', v);
    }
    return map as Record<string, string>;
  }
}
