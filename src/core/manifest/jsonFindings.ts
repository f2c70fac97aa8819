import type { Finding } from '../base/finding';
import { minorOf } from '../base/kubernetesVersion';
import { goByteOffset, looksLikeJsonStream, scanJsonStream, type JsonStreamVerdict } from './jsonStream';
import type { ManifestDocument, ParsedManifestFile } from './base/parse';

// What kubectl says about a file it reads as JSON (its first non-space character is `{`).
// kubectl 1.32 and earlier decode such a file with Go's json.Decoder only, so a trailing
// comma, a comment or a single-quoted string fails the file with
// `json: offset N: invalid character ...`. Since 1.33 (apimachinery's "Better handling of
// YAML that tastes like JSON"), when the first or second value fails as JSON the rest is read
// as YAML, which accepts those; the JSON error is given only when YAML fails too, or when two
// values were already read as JSON. podtrace follows the kubectl of the selected version:
// with 1.33 and later a trailing comma in a .json manifest is accepted, as kubectl accepts it.

export interface JsonFinding {
  readonly finding: Finding;
  /** True when kubectl gives this error instead of the YAML parser's: the document's YAML errors are left out. */
  readonly replacesSyntaxErrors: true;
}

const verdicts = new WeakMap<ParsedManifestFile, { verdict: JsonStreamVerdict; owner: number } | null>();

function verdictOf(file: ParsedManifestFile): { verdict: JsonStreamVerdict; owner: number } | null {
  let entry = verdicts.get(file);
  if (entry !== undefined) return entry;
  const verdict = looksLikeJsonStream(file.text) ? scanJsonStream(file.text) : undefined;
  entry = null;
  if (verdict) {
    let owner = 0;
    while (owner + 1 < file.documents.length && file.documents[owner + 1].start <= verdict.at) owner++;
    entry = { verdict, owner };
  }
  verdicts.set(file, entry);
  return entry;
}

/** Go's words for the error, as kubectl prints them after `error parsing <file>: `. */
function goError(file: ParsedManifestFile, verdict: JsonStreamVerdict, wrapped: boolean): string {
  if (!wrapped || !verdict.syntax) return verdict.message;
  return `json: offset ${goByteOffset(file.text, verdict.at)}: ${verdict.message}`;
}

/** The JSON finding of a document, when kubectl's JSON reading of its file stops in it. */
export function jsonFinding(
  file: ParsedManifestFile,
  doc: ManifestDocument,
  kubernetesVersion: string,
): JsonFinding | undefined {
  const entry = verdictOf(file);
  if (!entry || entry.owner !== doc.index) return undefined;
  const { verdict } = entry;
  const at = Math.min(verdict.at, Math.max(0, file.text.length - 1));
  const range = file.lines.range(at, Math.min(file.text.length, at + 1));
  const base = { path: '', range, documentIndex: doc.index };
  const fallsBackToYaml = minorOf(kubernetesVersion) >= 33 && verdict.valuesBefore < 2;
  if (!fallsBackToYaml) {
    // Before 1.33 every failure is wrapped with its offset; since, a stream of two or more JSON values fails unwrapped.
    const message = `JSON syntax error: ${goError(file, verdict, minorOf(kubernetesVersion) < 33)}`;
    return { finding: { ...base, code: 'PT1001', severity: 'error', message }, replacesSyntaxErrors: true };
  }
  // kubectl of this version reads the rest as YAML: the YAML layer's verdict is kubectl's
  // (when YAML fails too kubectl prints the JSON error, but a file that starts with `{` is as
  // often a YAML flow mapping, whose author is better served by the YAML error's position).
  return undefined;
}
