// The vocabulary every rule speaks: a field path built the way field.Path is
// (k8s.io/apimachinery/pkg/util/validation/field/path.go), and a collector with the
// constructors of field/errors.go (Required, Invalid, NotSupported, …). Each error also
// carries the podtrace code of the rule family that raised it.
import { minorOf } from '../../base/kubernetesVersion';
import { fieldErrorMessage, fieldErrorPath, type FieldError, type FieldErrorType } from '../base/fieldError';
import type { PathSegment } from '../base/fieldPath';
import type { RuleCode } from './ruleCodes';

/**
 * An immutable field path, linked to its parent so that building one per visited field
 * costs one small object; segments are materialised only when an error is raised.
 */
export class FieldPath {
  private constructor(
    readonly parent: FieldPath | undefined,
    readonly segment: PathSegment | undefined,
    /** True when `segment` is a map key, rendered `[key]` as field.Path.Key does. */
    readonly isKey: boolean,
  ) {}

  static root(): FieldPath {
    return new FieldPath(undefined, undefined, false);
  }

  static of(...names: string[]): FieldPath {
    let path = FieldPath.root();
    for (const name of names) path = path.child(name);
    return path;
  }

  child(...names: string[]): FieldPath {
    return names.reduce<FieldPath>((path, name) => new FieldPath(path, name, false), this);
  }

  index(i: number): FieldPath {
    return new FieldPath(this, i, false);
  }

  key(k: string): FieldPath {
    return new FieldPath(this, k, true);
  }

  /** The segments from the root, and which positions are map keys. */
  materialise(): { segments: PathSegment[]; mapKeyAt?: Set<number> } {
    const chain: FieldPath[] = [];
    if (this.segment !== undefined) chain.push(this);
    for (let p = this.parent; p && p.segment !== undefined; p = p.parent) chain.push(p);
    chain.reverse();
    const segments = chain.map((p) => p.segment as PathSegment);
    const keys = chain.flatMap((p, i) => (p.isKey ? [i] : []));
    return keys.length ? { segments, mapKeyAt: new Set(keys) } : { segments };
  }
}

/** A field.Error raised by a layer-3 rule, tagged with its rule family's finding code. */
export interface RuleError extends FieldError {
  readonly code: RuleCode;
  /** Set for what the apiserver sends as a `Warning:` header instead of rejecting the object. */
  readonly severity?: 'warning';
  /**
   * For an error reported on a whole map (labels, annotations, requests), the entry it is
   * about, so the editor can underline that key or value; not part of the apiserver's error.
   */
  readonly entry?: { readonly key: string; readonly anchor: 'key' | 'value' };
}

/** Collects errors in the order the apiserver's validators would emit them. */
export class RuleErrors {
  readonly list: RuleError[] = [];
  /** The minor version: 1.35 moved label keys and values to the `content` package, which words lengths in bytes. */
  readonly minor: number;

  constructor(readonly version: string) {
    this.minor = minorOf(version) || 35;
  }

  add(
    code: RuleCode,
    type: FieldErrorType,
    path: FieldPath,
    badValue?: unknown,
    detail?: string,
    badValueGo?: string,
  ): void {
    const { segments, mapKeyAt } = path.materialise();
    const error: { -readonly [K in keyof RuleError]: RuleError[K] } = { code, type, segments };
    if (mapKeyAt) error.mapKeyAt = mapKeyAt;
    if (badValue !== undefined) error.badValue = badValue;
    if (badValueGo !== undefined) error.badValueGo = badValueGo;
    if (detail) error.detail = detail;
    this.list.push(error);
  }

  required(code: RuleCode, path: FieldPath, detail = ''): void {
    this.add(code, 'FieldValueRequired', path, undefined, detail);
  }

  invalid(code: RuleCode, path: FieldPath, value: unknown, detail: string, badValueGo?: string): void {
    this.add(code, 'FieldValueInvalid', path, value, detail, badValueGo);
  }

  /** One Invalid error per message, as the callers of the uv Is* helpers do. */
  invalidEach(code: RuleCode, path: FieldPath, value: unknown, messages: readonly string[]): void {
    for (const message of messages) this.invalid(code, path, value, message);
  }

  /** Invalid errors on a map's path about one of its entries (see RuleError.entry). */
  invalidEntry(
    code: RuleCode,
    path: FieldPath,
    value: unknown,
    messages: readonly string[],
    key: string,
    anchor: 'key' | 'value',
  ): void {
    for (const message of messages) {
      this.invalid(code, path, value, message);
      const last = this.list[this.list.length - 1] as { entry?: RuleError['entry'] };
      last.entry = { key, anchor };
    }
  }

  notSupported(
    code: RuleCode,
    path: FieldPath,
    value: unknown,
    supported: readonly string[],
    badValueGo?: string,
  ): void {
    const detail = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
    this.add(code, 'FieldValueNotSupported', path, value, detail, badValueGo);
  }

  duplicate(code: RuleCode, path: FieldPath, value: unknown, badValueGo?: string): void {
    this.add(code, 'FieldValueDuplicate', path, value, undefined, badValueGo);
  }

  forbidden(code: RuleCode, path: FieldPath, detail: string): void {
    this.add(code, 'FieldValueForbidden', path, undefined, detail);
  }

  notFound(code: RuleCode, path: FieldPath, value: unknown): void {
    this.add(code, 'FieldValueNotFound', path, value);
  }

  tooLong(code: RuleCode, path: FieldPath, max: number): void {
    const unit = this.minor >= 34 && max === 1 ? 'byte' : 'bytes';
    this.add(code, 'FieldValueTooLong', path, '<value omitted>', `may not be more than ${max} ${unit}`);
  }

  /** A server warning rather than an error: the object is accepted. */
  warning(code: RuleCode, path: FieldPath, text: string): void {
    const { segments, mapKeyAt } = path.materialise();
    this.list.push({
      code,
      type: 'FieldValueInvalid',
      segments,
      ...(mapKeyAt ? { mapKeyAt } : {}),
      detail: text,
      severity: 'warning',
    });
  }
}

/** The text the apiserver shows: `<path>: <body>` for an error, `<path>: <text>` for a `Warning:` header. */
export function ruleErrorMessage(error: RuleError, version: string): string {
  return error.severity === 'warning' ? `${fieldErrorPath(error)}: ${error.detail}` : fieldErrorMessage(error, version);
}
