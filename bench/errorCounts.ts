// Per-document error counts of each tool: on the golden invalid fixtures
// (test/fixtures/validate/**, where the expected findings say which documents are
// invalid) and on the real manifests of ../shared/corpus/kubernetes-examples, where
// test/manifest/schemaCorpusInvalid.json lists, with reasons, the documents kubectl and the
// apiserver reject: every other corpus document a tool flags is a false error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseManifestText } from '../src/core/manifest/base/parse';

/** A tool under test: the offsets of the errors it reports in a text. */
export type ErrorOffsets = (text: string) => Promise<number[]>;

export interface ErrorCounts {
  /** Documents of the fixtures that the golden findings call invalid, and how many of them the tool flags. */
  readonly invalidDocuments: number;
  readonly invalidDocumentsFlagged: number;
  /** Documents of the fixtures with no expected error that the tool flags anyway. */
  readonly fixtureValidDocumentsFlagged: number;
  /** Corpus documents; the invalid ones (listed) the tool flags; the valid ones it flags (false errors). */
  readonly corpusDocuments: number;
  readonly corpusInvalidDocuments: number;
  readonly corpusInvalidDocumentsFlagged: number;
  readonly corpusValidDocumentsFlagged: number;
  /** Error diagnostics on the valid corpus documents. */
  readonly corpusFalseErrors: number;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Document starts of a text, for assigning an offset to its document. */
function documentOf(starts: readonly number[], offset: number): number {
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1] <= offset) index++;
  return index;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

interface Fixture {
  readonly text: string;
  readonly starts: readonly number[];
  readonly invalid: ReadonlySet<number>;
}

function loadFixtures(root: string): Fixture[] {
  return yamlFiles(path.join(root, 'test/fixtures/validate')).flatMap((file) => {
    const expectedFile = file.replace(/\.ya?ml$/, '.findings.json');
    if (!fs.existsSync(expectedFile)) return [];
    const text = fs.readFileSync(file, 'utf8');
    // Every tool is run against the default version's schema: a fixture written for another
    // version (`# kubernetes-version: 1.32`) would count its errors against the wrong one.
    if (/^# kubernetes-version: /m.test(text)) return [];
    const starts = parseManifestText(text).documents.map((d) => d.start);
    const lines = lineStarts(text);
    const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as { severity: string; range: string }[];
    const invalid = new Set(
      expected
        .filter((f) => f.severity === 'error')
        .map((f) => {
          const [line, column] = f.range.split('-')[0].split(':').map(Number);
          return documentOf(starts, (lines[line - 1] ?? text.length) + column - 1);
        }),
    );
    return [{ text, starts, invalid }];
  });
}

export async function countErrors(
  root: string,
  shared: string,
  tools: Record<string, ErrorOffsets>,
): Promise<Record<string, ErrorCounts>> {
  const fixtures = loadFixtures(root);
  const corpusRoot = path.join(shared, 'corpus/kubernetes-examples');
  const listed = Object.keys(
    (
      JSON.parse(fs.readFileSync(path.join(root, 'test/manifest/schemaCorpusInvalid.json'), 'utf8')) as {
        documents: Record<string, unknown>;
      }
    ).documents,
  );
  const corpus = yamlFiles(corpusRoot).map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const key = path.relative(corpusRoot, file).split(path.sep).join('/');
    const invalid = new Set(listed.filter((k) => k.startsWith(`${key}#`)).map((k) => Number(k.slice(key.length + 1))));
    return { text, starts: parseManifestText(text).documents.map((d) => d.start), invalid };
  });
  const result: Record<string, ErrorCounts> = {};
  for (const [name, errorsOf] of Object.entries(tools)) {
    let invalidDocuments = 0;
    let invalidDocumentsFlagged = 0;
    let fixtureValidDocumentsFlagged = 0;
    for (const f of fixtures) {
      const flagged = new Set((await errorsOf(f.text)).map((o) => documentOf(f.starts, o)));
      invalidDocuments += f.invalid.size;
      for (const d of flagged) {
        if (f.invalid.has(d)) invalidDocumentsFlagged++;
        else fixtureValidDocumentsFlagged++;
      }
    }
    let corpusDocuments = 0;
    let corpusInvalidDocuments = 0;
    let corpusInvalidDocumentsFlagged = 0;
    let corpusValidDocumentsFlagged = 0;
    let corpusFalseErrors = 0;
    for (const c of corpus) {
      const documents = (await errorsOf(c.text)).map((o) => documentOf(c.starts, o));
      corpusDocuments += c.starts.length;
      corpusInvalidDocuments += c.invalid.size;
      corpusFalseErrors += documents.filter((d) => !c.invalid.has(d)).length;
      for (const d of new Set(documents)) {
        if (c.invalid.has(d)) corpusInvalidDocumentsFlagged++;
        else corpusValidDocumentsFlagged++;
      }
    }
    result[name] = {
      invalidDocuments,
      invalidDocumentsFlagged,
      fixtureValidDocumentsFlagged,
      corpusDocuments,
      corpusInvalidDocuments,
      corpusInvalidDocumentsFlagged,
      corpusValidDocumentsFlagged,
      corpusFalseErrors,
    };
  }
  return result;
}
