import type { Finding } from '../core/base/finding';
import { printableText } from '../core/base/printableText';

export interface FileFindings {
  readonly file: string;
  readonly findings: readonly Finding[];
}

/** The JSON shape of `podtrace validate --format json`: 1-based lines and columns, endColumn exclusive. */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
  path: string;
}

export function toJsonFinding(file: string, f: Finding): JsonFinding {
  return {
    file,
    line: f.range.start.line + 1,
    column: f.range.start.column + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.column + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    path: f.path,
  };
}

export function formatText(results: readonly FileFindings[]): string {
  const lines: string[] = [];
  for (const { file, findings } of results) {
    for (const f of findings) {
      // A file name or message with control characters would forge lines or drive the terminal.
      lines.push(
        printableText(
          `${file}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} ${f.code} ${f.message}`,
        ),
      );
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function formatJson(results: readonly FileFindings[]): string {
  const findings = results.flatMap(({ file, findings }) => findings.map((f) => toJsonFinding(file, f)));
  return JSON.stringify({ findings }, null, 2) + '\n';
}

/**
 * A file name as SARIF's artifactLocation.uri, which must be a URI reference (RFC 3986): each
 * path segment percent-encoded (a space, `#`, `%` or `?` in a name would otherwise change what
 * the URI means), relative names kept relative, absolute ones as file: URIs.
 */
export function sarifUri(file: string): string {
  if (file === '-') return 'stdin';
  const slashed = file.split('\\').join('/');
  const drive = /^[A-Za-z]:\//.test(slashed);
  const encoded = slashed
    .split('/')
    .map((segment, i) => (drive && i === 0 ? segment : encodeURIComponent(segment)))
    .join('/');
  if (drive) return `file:///${encoded}`;
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

const sarifLevel = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0, the format code-scanning tools read. */
export function formatSarif(
  results: readonly FileFindings[],
  version: string,
  helpUri: (code: string) => string,
): string {
  const codes = [...new Set(results.flatMap((r) => r.findings.map((f) => f.code)))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'podtrace',
            version,
            informationUri: helpUri(''),
            rules: codes.map((id) => ({ id, helpUri: helpUri(id) })),
          },
        },
        results: results.flatMap(({ file, findings }) =>
          findings.map((f) => ({
            ruleId: f.code,
            ruleIndex: codes.indexOf(f.code),
            level: sarifLevel[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: sarifUri(file) },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.column + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.column + 1,
                  },
                },
                ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path, kind: 'member' }] } : {}),
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
