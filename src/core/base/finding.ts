// The one shape every validation layer returns. Core code produces plain data;
// the editor turns it into diagnostics and the CLI into text, JSON or SARIF.

export type Severity = 'error' | 'warning' | 'info';

/** A position in a text: 0-based line and column (UTF-16 code units), plus the offset. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open range [start, end) in a text. */
export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/** A text edit that repairs a finding: replace `range` with `newText`. */
export interface TextEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Finding {
  /** Stable identifier documented in the README, e.g. `PT1001`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  /**
   * The field in the apiserver's field-path form (`spec.template.spec.containers[0].image`), or '' for the document.
   */
  readonly path: string;
  /** 0-based index of the YAML document in its file. */
  readonly documentIndex: number;
  readonly fixes?: readonly QuickFix[];
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Orders findings by position, then by severity, then by code, so every output is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    a.range.end.offset - b.range.end.offset ||
    severityRank[a.severity] - severityRank[b.severity] ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/**
 * A finding code and its one-line title. It lives here, beside Finding, so that the layers that
 * define codes (schema, rules, lints) and the list of them all (manifest/findingCodes.ts) do
 * not import each other.
 */
export interface FindingCodeInfo {
  readonly code: string;
  readonly layer: 'yaml' | 'schema' | 'apiserver' | 'lifecycle' | 'cluster';
  readonly title: string;
}
