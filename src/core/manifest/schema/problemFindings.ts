// Turns schema problems into findings on YAML ranges, with quick fixes where the fix is
// certain: rename a misspelled key to its close sibling, quote an unquoted YAML 1.1 scalar.
// Shared by the per-document layers and the checks across documents (custom resources),
// which see a document through the same small interface.
import { isScalar } from 'yaml';
import type { Finding, QuickFix, Severity, SourceRange } from '../../base/finding';
import type { PathSegment } from '../base/fieldPath';
import { formatFieldPath } from '../base/fieldPath';
import type { ManifestDocument } from '../base/parse';
import type { Anchor } from '../base/sourceMap';
import type { SchemaProblem } from './compiler';
import { schemaCodes } from './schemaCodes';
import { describePath, problemMessage, resolveNode } from './schemaMessages';
import type { KindSchema } from './snapshot';
import { closestMatch } from './suggestions';

/** Where findings about one document go: its index, its parsed YAML and a path-to-range lookup. */
export interface FindingSite {
  readonly documentIndex: number;
  readonly doc: ManifestDocument;
  rangeOf(segments: readonly PathSegment[], anchor?: Anchor): SourceRange;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function makeFinding(
  site: FindingSite,
  code: string,
  severity: Severity,
  message: string,
  segments: readonly PathSegment[],
  anchor: 'key' | 'value',
  fixes?: QuickFix[],
  mapKeyAt?: ReadonlySet<number>,
): Finding {
  return {
    code,
    severity,
    message,
    range: site.rangeOf(segments, anchor),
    path: formatFieldPath(segments, mapKeyAt),
    documentIndex: site.documentIndex,
    ...(fixes && fixes.length > 0 ? { fixes } : {}),
  };
}

export function replaceFix(
  site: FindingSite,
  segments: readonly PathSegment[],
  anchor: 'key' | 'value',
  title: string,
  newText: string,
): QuickFix {
  return { title, edits: [{ range: site.rangeOf(segments, anchor), newText }] };
}

/** The source text of a plain (unquoted, one-line) scalar at a path, or undefined. */
function plainScalarText(site: FindingSite, segments: readonly PathSegment[]): string | undefined {
  const node = site.doc.yaml.getIn(segments, true);
  if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.source !== 'string' || node.source.includes('\n'))
    return undefined;
  return node.source;
}

export function isStringNode(schema: KindSchema, problem: SchemaProblem & { kind: 'type' }): boolean {
  return resolveNode(schema, problem.node) === 's';
}

/** One problem as a finding; `prefix` locates the object inside the document (a List item). */
export function problemFinding(
  site: FindingSite,
  schema: KindSchema,
  custom: boolean,
  problem: SchemaProblem,
  prefix: readonly PathSegment[],
): Finding {
  const segments = prefix.length ? [...prefix, ...problem.segments] : problem.segments;
  const message = problemMessage(schema, problem, custom);
  const where = describePath(schema, problem.segments);
  const mapKeyAt = new Set([...where.mapKeyAt].map((i) => i + prefix.length));
  const finding = (code: string, text: string, anchor: 'key' | 'value', fixes?: QuickFix[]) =>
    makeFinding(site, code, 'error', text, segments, anchor, fixes, mapKeyAt);
  switch (problem.kind) {
    case 'unknownField': {
      const field = String(problem.segments[problem.segments.length - 1]);
      const guess = where.parent?.p ? closestMatch(field, Object.keys(where.parent.p)) : undefined;
      if (!guess) return finding(schemaCodes.unknownField, message, 'key');
      const fix = replaceFix(site, segments, 'key', `Rename to ${guess}`, guess);
      return finding(schemaCodes.unknownField, `${message}; did you mean "${guess}"?`, 'key', [fix]);
    }
    case 'type': {
      const value = problem.value;
      if ((typeof value === 'boolean' || typeof value === 'number') && isStringNode(schema, problem)) {
        const source = plainScalarText(site, segments);
        if (source !== undefined) {
          const read = typeof value === 'boolean' ? `the boolean ${value}` : `the number ${value}`;
          const fix = replaceFix(site, segments, 'value', `Quote ${source}`, JSON.stringify(source));
          return finding(
            schemaCodes.yamlScalar,
            `${message}: YAML reads the unquoted ${source} as ${read}; quote it to keep it a string`,
            'value',
            [fix],
          );
        }
      }
      return finding(schemaCodes.wrongType, message, 'value');
    }
    case 'required':
      return finding(schemaCodes.requiredField, message, 'key');
    case 'format':
      return finding(
        message.startsWith('illegal base64') ? schemaCodes.base64 : schemaCodes.quantity,
        message,
        'value',
      );
    case 'enum':
      return finding(schemaCodes.enumValue, message, 'value');
  }
}
