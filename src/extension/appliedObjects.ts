// The objects of the manifests as a target gets them, each with the YAML it came from: the
// same objects, in the same order, that kubectl would send (core/manifest/decode.ts's
// kubernetesObjects: every document kubectl sees with apiVersion and kind, a List expanded into
// its items). A target answers per object in that order, so an answer's causes map back to
// this document's ranges. No 'vscode' here: tests run it under plain Node.
import { kubectlSeesDocument } from '../core/manifest/documentSeparators';
import { decodedValue } from '../core/manifest/decode';
import type { PathSegment } from '../core/manifest/base/fieldPath';
import type { ManifestDocument, ParsedManifestFile } from '../core/manifest/base/parse';
import type { KubeObject } from '../core/sim/store/objects';

export interface AppliedObject {
  readonly object: KubeObject;
  /** The name of the file it came from, as the trace names files (TracedDocuments). */
  readonly file: string;
  readonly parsed: ParsedManifestFile;
  readonly document: ManifestDocument;
  /** Where the object sits in its document: [] or ['items', i] in a List. */
  readonly prefix: readonly PathSegment[];
}

function isObjectValue(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  return typeof apiVersion === 'string' && apiVersion !== '' && typeof kind === 'string' && kind !== '';
}

/** Every object of the files, in order, with where it came from. */
export function appliedObjectsOf(
  files: readonly { readonly name: string; readonly parsed: ParsedManifestFile }[],
): AppliedObject[] {
  const out: AppliedObject[] = [];
  for (const { name, parsed } of files) {
    for (const document of parsed.documents) {
      if (!kubectlSeesDocument(parsed, document)) continue;
      const value = decodedValue(document);
      if (!isObjectValue(value)) continue;
      const items = (value as { items?: unknown }).items;
      if (value.kind === 'List' && Array.isArray(items)) {
        items.forEach((item: unknown, i) => {
          // kubectl refuses an item without apiVersion and kind; validation has reported it.
          if (isObjectValue(item)) out.push({ object: item, file: name, parsed, document, prefix: ['items', i] });
        });
      } else {
        out.push({ object: value, file: name, parsed, document, prefix: [] });
      }
    }
  }
  return out;
}

/** `Deployment web`, `ConfigMap team/settings`: how messages name an object. */
export function describeObject(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '(no name)';
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
