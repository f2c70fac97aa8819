import { kubectlSeesDocument } from './documentSeparators';
import type { ManifestDocument, ParsedManifestFile } from './base/parse';

/**
 * A document decoded to a plain value, as kubectl would send it (YAML 1.1 scalars). A
 * document that parses can still fail to decode (an alias to an anchor that does not
 * exist, too many aliases): its value is then undefined and layer 1 reports the error.
 */
export interface Decoded {
  readonly value: unknown;
  readonly error?: Error;
}

// Each document is decoded once, for its layers and for the checks across documents.
const decodedValues = new WeakMap<ManifestDocument, Decoded>();

export function decoded(doc: ManifestDocument): Decoded {
  let entry = decodedValues.get(doc);
  if (!entry) {
    try {
      entry = { value: doc.yaml.toJS({ maxAliasCount: 100 }) };
    } catch (error) {
      entry = { value: undefined, error: error instanceof Error ? error : new Error(String(error)) };
    }
    decodedValues.set(doc, entry);
  }
  return entry;
}

export function decodedValue(doc: ManifestDocument): unknown {
  return decoded(doc).value;
}

/**
 * The objects of a parsed file as kubectl would apply them: every decoded document with
 * `apiVersion` and `kind`, a List expanded into its items, in file order. A document kubectl's
 * reader does not see (after `...`, or after a `---` ending in a lone CR) is not applied.
 */
export function kubernetesObjects(file: ParsedManifestFile): unknown[] {
  // A List's items are passed on as kubectl passes them: validation has checked each.
  const out: unknown[] = [];
  for (const doc of file.documents) {
    if (!kubectlSeesDocument(file, doc)) continue;
    const value = decodedValue(doc);
    if (!value || typeof value !== 'object' || !('kind' in value) || !('apiVersion' in value)) continue;
    if (!value.kind || !value.apiVersion) continue;
    if (value.kind === 'List' && 'items' in value && Array.isArray(value.items)) out.push(...value.items);
    else out.push(value);
  }
  return out;
}
