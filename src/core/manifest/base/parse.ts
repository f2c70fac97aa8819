import { Composer, Parser, type CST, type Document, type YAMLError } from 'yaml';
import { LineIndex } from '../../base/lineIndex';
import { duplicateKeyErrors, mergeErrorsByPosition } from './duplicateKeys';
import { goYamlTags } from './goYamlScalars';
import { tooDeepIn, type TooDeep } from './nestingDepth';

/** One YAML document of a manifest file, with its source span and its parse problems. */
export interface ManifestDocument {
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** Offsets of the document's own text in the file: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The parsed document with a source range on every node. */
  readonly yaml: Document.Parsed;
  readonly errors: readonly YAMLError[];
  readonly warnings: readonly YAMLError[];
  /** Set when the document nests deeper than podtrace validates: its content is then left out. */
  readonly tooDeep?: TooDeep;
}

export interface ParsedManifestFile {
  /** The text handed to the parser: the file's text with each lone CR read as LF (the same length). */
  readonly text: string;
  /** The file's text as given, when it differs from `text` (it has lone CRs). */
  readonly original?: string;
  readonly lines: LineIndex;
  readonly documents: readonly ManifestDocument[];
}

/**
 * Parses every document of a manifest file as kubectl reads it: YAML 1.1 scalars
 * (`yes`/`no`/`on`/`off` are booleans, `0644` is octal) resolved as go-yaml v2 resolves
 * them (timestamps stay strings; see goYamlScalars.ts) and duplicate keys rejected.
 * A document that fails to parse keeps its own errors and does not hide its neighbours.
 */
export function parseManifestText(original: string): ParsedManifestFile {
  const text = withLoneCarriageReturnsAsLineFeeds(original);
  const lines = new LineIndex(text);
  const tooDeep: (TooDeep | undefined)[] = [];
  // The composer recurses through each document; one nested too deep for it is composed
  // without its content, and layer 1 reports where it passed the limit (nestingDepth.ts).
  function* guarded(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type !== 'document') {
        yield token;
        continue;
      }
      const deep = tooDeepIn(token);
      tooDeep.push(deep);
      yield deep ? { ...token, value: undefined } : token;
    }
  }
  const composer = new Composer({
    version: '1.1',
    // Duplicate keys are found by duplicateKeys.ts in linear time; the parser's own check
    // compares every pair of keys of a mapping.
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: false,
    merge: true,
    customTags: goYamlTags,
    // The package would print its own warnings (a collection used as a key) on the process's
    // stderr when a document is turned into values; the layers report what matters as findings.
    logLevel: 'error',
  });
  // The composer gives one document per document token, in order (none for empty text).
  const documents: ManifestDocument[] = [];
  for (const doc of composer.compose(guarded(new Parser().parse(text)))) {
    const [start, , end] = doc.range;
    const index = documents.length;
    const deep = tooDeep[index];
    const errors = mergeErrorsByPosition(doc.errors, duplicateKeyErrors(doc));
    const parsed = { index, start, end, yaml: doc, errors, warnings: doc.warnings };
    documents.push(deep ? { ...parsed, tooDeep: deep } : parsed);
  }
  return text === original ? { text, lines, documents } : { text, original, lines, documents };
}

/**
 * A lone CR (old Mac line endings) ends a line for go-yaml, as YAML says (b-break is CR LF,
 * CR or LF), and for editors; the `yaml` package only knows LF and CR LF and reads such a
 * file as one line full of syntax errors. Each lone CR becomes an LF: the text keeps its
 * length, so every offset, and the line and column an editor shows, stay the same.
 */
function withLoneCarriageReturnsAsLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** True when the document's root is a mapping with both `apiVersion` and `kind`. */
export function looksLikeKubernetesObject(doc: ManifestDocument): boolean {
  const contents = doc.yaml.contents as { items?: { key?: { value?: unknown } }[] } | null;
  if (!contents || !Array.isArray(contents.items)) return false;
  let apiVersion = false;
  let kind = false;
  for (const pair of contents.items) {
    const key = pair.key?.value;
    if (key === 'apiVersion') apiVersion = true;
    else if (key === 'kind') kind = true;
  }
  return apiVersion && kind;
}

/** Cheap text test used by the editor to decide whether a YAML file is worth validating. */
export function textLooksLikeKubernetes(text: string): boolean {
  return /^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text);
}
