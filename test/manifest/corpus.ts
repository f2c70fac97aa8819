// The real manifests tests and benchmarks use: ../shared/corpus beside the repository (a
// worktree or a checkout next to the shared folder), else /work/shared/corpus.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusManifest {
  readonly file: string;
  readonly text: string;
}

/** The shared corpus folder, or undefined when neither place has it. */
export function sharedCorpusRoot(repoRoot = path.resolve(__dirname, '../../..')): string | undefined {
  const candidates = [path.resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'];
  return candidates.find((c) => fs.existsSync(path.join(c, 'kubernetes-examples')));
}

function yamlFiles(dir: string, out: string[]): string[] {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Every manifest file of kubernetes-examples, up to `maxBytes` each (small ones keep property tests fast). */
export function corpusManifests(maxBytes = 8_000): CorpusManifest[] {
  const root = sharedCorpusRoot();
  if (!root)
    throw new Error('expected the shared corpus at ../shared/corpus beside the repository or at /work/shared/corpus');
  return yamlFiles(path.join(root, 'kubernetes-examples'), [])
    .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }))
    .filter((m) => m.text.length <= maxBytes);
}
