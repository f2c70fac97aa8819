// Builds the import graph of a source tree (type-only imports count, because a type cycle still ties
// the files together for every reader and every refactoring) and finds its cycles among files and
// among folders, and the imports between the folders of src/core that go against the layer table.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A graph as adjacency sets, keyed by a path relative to the tree's root with `/` separators. */
export type ImportGraph = ReadonlyMap<string, ReadonlySet<string>>;

export interface ImportGraphs {
  readonly files: ImportGraph;
  /** A file's folder is its directory; edges within one folder are left out. */
  readonly folders: ImportGraph;
}

/** The folders of src/core from the bottom up; a folder may import only folders on a lower level. */
export type LayerTable = readonly (readonly string[])[];

export interface LayerProblems {
  /** Edges `from -> to` between two folders that the table does not allow. */
  readonly upwardEdges: readonly string[];
  /** Folders under the core root that the table does not place, so no edge of theirs can be judged. */
  readonly unplacedFolders: readonly string[];
}

// A static import or re-export (type-only included), or a dynamic import() or require() call.
const importPattern = new RegExp(
  [
    String.raw`(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]`,
    String.raw`(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)`,
  ].join('|'),
  'g',
);

const sourceExtension = /\.(ts|tsx|mts|cts)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (sourceExtension.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function posix(relative: string): string {
  return relative.split(path.sep).join('/');
}

function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** The source file a relative specifier names, or undefined for a non-source file such as JSON or CSS. */
function resolveSource(known: ReadonlySet<string>, fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((candidate) => known.has(candidate));
}

/** Reads every TypeScript file under root and returns its relative imports as a file graph and a folder graph. */
export function importGraphs(rootPath: string): ImportGraphs {
  const root = path.resolve(rootPath);
  const absolute = sourceFiles(root);
  const known = new Set(absolute);
  const files = new Map<string, Set<string>>();
  const folders = new Map<string, Set<string>>();
  for (const file of absolute) {
    const from = posix(path.relative(root, file));
    const targets = new Set<string>();
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (!specifier.startsWith('.')) continue;
      const resolved = resolveSource(known, file, specifier);
      if (resolved) targets.add(posix(path.relative(root, resolved)));
    }
    files.set(from, targets);
    const fromFolder = folderOf(from);
    const folderTargets = folders.get(fromFolder) ?? new Set<string>();
    folders.set(fromFolder, folderTargets);
    for (const target of targets) if (folderOf(target) !== fromFolder) folderTargets.add(folderOf(target));
  }
  for (const targets of folders.values()) {
    for (const target of targets) if (!folders.has(target)) folders.set(target, new Set());
  }
  return { files, folders };
}

/**
 * The cycles of a graph: its strongly connected components with more than one node (or a node that
 * imports itself), each as its sorted nodes, the list sorted. Tarjan's algorithm, iterative so that a
 * long import chain cannot overflow the stack.
 */
export function cyclesOf(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const frames: { node: string; edges: string[]; at: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, next);
      low.set(node, next);
      next += 1;
      stack.push(node);
      onStack.add(node);
      frames.push({ node, edges: [...(graph.get(node) ?? [])].sort(), at: 0 });
    };
    enter(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.at < frame.edges.length) {
        const target = frame.edges[frame.at];
        frame.at += 1;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) cycles.push(component.sort());
    }
  }
  return cycles.sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

/** The folder edges under coreRoot (a folder path in the graph, such as `core`) that the layer table forbids. */
export function layerProblems(folders: ImportGraph, coreRoot: string, table: LayerTable): LayerProblems {
  const level = new Map<string, number>();
  table.forEach((row, at) => row.forEach((folder) => level.set(folder, at)));
  const inCore = (folder: string) => folder === coreRoot || folder.startsWith(`${coreRoot}/`);
  const upwardEdges: string[] = [];
  const unplaced = new Set<string>();
  for (const [from, targets] of folders) {
    if (!inCore(from)) continue;
    if (!level.has(from)) unplaced.add(from);
    for (const to of targets) {
      if (!inCore(to)) continue;
      if (!level.has(to)) unplaced.add(to);
      const fromLevel = level.get(from);
      const toLevel = level.get(to);
      const allowed = fromLevel === undefined || toLevel === undefined || toLevel < fromLevel;
      if (!allowed) upwardEdges.push(`${from} -> ${to}`);
    }
  }
  return { upwardEdges: upwardEdges.sort(), unplacedFolders: [...unplaced].sort() };
}
