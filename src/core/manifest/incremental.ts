// Incremental validation of one open file: as the user types, only the documents whose
// text changed are parsed and validated again; the others' findings are reused, moved to
// where their document now sits. The answer is always the same as
// validateManifestText(text) (a property test checks it on random edits).
//
// How: the text is cut into parts at document markers (documentParts.ts). Each part is
// parsed and validated on its own and its result is kept by the part's text, in the
// part's own coordinates, with the documents' syntax trees, so that the set pass over
// every document needs no parsing on a keystroke.
import { compareFindings, type Finding } from '../base/finding';
import { shiftFinding, shiftRange, walkParts } from './documentParts';
import { validatePart, type PartResult } from './partValidation';
import { runSetPasses, setDocumentOf, setPasses, type SetDocument } from './setPass';
import { defaultKubernetesVersion } from '../base/kubernetesVersion';
import { validateDocument } from './validate';
import type { ValidateOptions } from './base/validationLayer';

/** Statistics of the last update, for tests and benchmarks. */
export interface IncrementalStats {
  readonly parts: number;
  readonly validated: number;
  readonly reused: number;
}

/**
 * Validates successive versions of one file, re-validating only the documents whose text
 * changed. One instance per open document; not shared across files.
 */
export class IncrementalValidator {
  private cache = new Map<string, PartResult>();
  private lastStats: IncrementalStats = { parts: 0, validated: 0, reused: 0 };

  constructor(private options: ValidateOptions = {}) {}

  /** Changing the options (e.g. the Kubernetes version) invalidates every cached document. */
  setOptions(options: ValidateOptions): void {
    if (
      (options.kubernetesVersion ?? defaultKubernetesVersion) !==
      (this.options.kubernetesVersion ?? defaultKubernetesVersion)
    )
      this.cache.clear();
    this.options = options;
  }

  get stats(): IncrementalStats {
    return this.lastStats;
  }

  /** All findings of `text`, sorted; the same as validateManifestText(text, options). */
  update(text: string): Finding[] {
    // Only the parts of this version are kept, so memory follows the file, not its history.
    const next = new Map<string, PartResult>();
    const findings: Finding[] = [];
    // The set pass sees every document; building its views costs nothing when no pass is registered.
    const setDocuments: SetDocument[] | undefined = setPasses().length > 0 ? [] : undefined;
    let documentBase = 0;
    let validated = 0;
    const resultFor = (partText: string): PartResult => {
      let result = next.get(partText) ?? this.cache.get(partText);
      if (!result) {
        const options = this.options;
        result = validatePart(partText, (file, doc) => validateDocument(file, doc, options), 'tree');
        validated++;
      }
      return result;
    };
    const parts = walkParts(text, resultFor, (part, result) => {
      next.set(part.text, result);
      for (const f of result.findings) findings.push(shiftFinding(f, part.offset, part.line, documentBase));
      if (setDocuments) {
        for (const d of result.documents) {
          const { doc, lines } = d.tree!;
          const index = documentBase + d.localIndex;
          const own = d.own.map((f) => shiftFinding(f, part.offset, part.line, index - d.localIndex));
          setDocuments.push(setDocumentOf(index, doc, lines, own, (r) => shiftRange(r, part.offset, part.line)));
        }
      }
      documentBase += result.documentCount;
    });
    this.cache = next;
    this.lastStats = { parts, validated, reused: parts - validated };
    if (setDocuments)
      findings.push(
        ...runSetPasses(setDocuments, {
          kubernetesVersion: this.options.kubernetesVersion ?? defaultKubernetesVersion,
        }),
      );
    return findings.sort(compareFindings);
  }
}
