import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkArchitecture } from './architecture';
import { coreLayers, knownFileCycles, knownFolderCycles, knownUpwardEdges } from './architectureBaseline';
import { cyclesOf, importGraphs, layerProblems } from './architectureGraph';

const repoRoot = path.resolve(__dirname, '../..');

test('src respects the layer boundaries', () => {
  const violations = checkArchitecture(path.join(repoRoot, 'src'));
  assert.deepEqual(violations, [], violations.map((v) => `${v.file}:${v.line}: ${v.specifier}: ${v.rule}`).join('\n'));
});

test('the check fails on a core file that imports vscode, and on the other crossings', () => {
  const violations = checkArchitecture(path.join(repoRoot, 'test/fixtures/architecture/violating/src'));
  const summary = violations
    .map((v) => `${v.file.split(path.sep).join('/')}:${v.line} ${v.specifier} (${v.rule})`)
    .sort();
  assert.deepEqual(summary, [
    'src/core/base/usesProtocol.ts:2 ../../protocol/messages (src/core must not import src/protocol)',
    'src/core/manifest/usesEditor.ts:2 vscode (only src/extension may import vscode)',
    'src/webview/readsDisk.ts:2 node:fs (src/webview runs in a browser and must not import Node built-ins)',
    'src/webview/readsDisk.ts:3 path (src/webview runs in a browser and must not import Node built-ins)',
  ]);
});

/** What differs between the list found and the list known: new entries fail, and so do stale ones. */
function differences(kind: string, found: readonly string[], known: readonly string[]): string[] {
  const foundSet = new Set(found);
  const knownSet = new Set(known);
  return [
    ...found.filter((entry) => !knownSet.has(entry)).map((entry) => `new ${kind}: ${entry}`),
    ...known
      .filter((entry) => !foundSet.has(entry))
      .map(
        (entry) => `${kind} listed in test/architectureBaseline.ts ` + `but gone (remove it from the list): ${entry}`,
      ),
  ];
}

const named = (cycles: readonly (readonly string[])[]) => cycles.map((cycle) => cycle.join(' <-> '));

test('src has no import cycle and no upward import inside core beyond the known ones, which all still exist', (t) => {
  const graphs = importGraphs(path.join(repoRoot, 'src'));
  const fileCycles = named(cyclesOf(graphs.files));
  const folderCycles = named(cyclesOf(graphs.folders));
  const layers = layerProblems(graphs.folders, 'core', coreLayers);
  const problems = [
    ...differences('cycle among files', fileCycles, named(knownFileCycles)),
    ...differences('cycle among folders', folderCycles, named(knownFolderCycles)),
    ...differences('upward edge', layers.upwardEdges, knownUpwardEdges),
    ...layers.unplacedFolders.map((folder) => `folder src/${folder} is not placed in coreLayers`),
  ];
  const counts =
    `${fileCycles.length} cycles among files, ${folderCycles.length} among folders, ` +
    `${layers.upwardEdges.length} upward edges between the folders of src/core`;
  assert.deepEqual(problems, [], `${counts}:\n${problems.join('\n')}`);
  // The counts are part of every run's output, so that their shrinking can be followed.
  t.diagnostic(counts);
});

test('the cycle and layer checks fail on an upward import, a type-only cycle and an unplaced folder', () => {
  const graphs = importGraphs(path.join(repoRoot, 'test/fixtures/architecture/layered/src'));
  assert.deepEqual(cyclesOf(graphs.files), [['core/high/first.ts', 'core/high/second.ts']]);
  assert.deepEqual(cyclesOf(graphs.folders), [['core/high', 'core/low']]);
  assert.deepEqual(layerProblems(graphs.folders, 'core', [['core/low'], ['core/high']]), {
    upwardEdges: ['core/low -> core/high'],
    unplacedFolders: ['core/stray'],
  });
  // Peers on one row may not import each other either.
  assert.deepEqual(layerProblems(graphs.folders, 'core', [['core/low', 'core/high', 'core/stray']]).upwardEdges, [
    'core/high -> core/low',
    'core/low -> core/high',
    'core/stray -> core/low',
  ]);
});

test('a graph without a cycle has none, and a file that imports itself is one', () => {
  assert.deepEqual(
    cyclesOf(
      new Map([
        ['a.ts', new Set(['b.ts'])],
        ['b.ts', new Set<string>()],
      ]),
    ),
    [],
  );
  assert.deepEqual(cyclesOf(new Map([['a.ts', new Set(['a.ts'])]])), [['a.ts']]);
});

test('the baseline comparison reports new entries and listed entries that are gone', () => {
  assert.deepEqual(differences('upward edge', ['a -> b', 'c -> d'], ['a -> b', 'e -> f']), [
    'new upward edge: c -> d',
    'upward edge listed in test/architectureBaseline.ts but gone (remove it from the list): e -> f',
  ]);
});

test('the real layer table refuses an upward import, an import between peers and a folder it does not place', () => {
  const graph = new Map([
    ['core/sim/helpers', new Set(['core/sim/scheduler', 'core/base'])],
    ['core/sim/kubelet', new Set(['core/sim/scheduler', 'core/sim/client'])],
    ['core/trace/model', new Set(['core/sim/store'])],
    ['core/sim/newComponent', new Set(['core/sim/client'])],
  ]);
  assert.deepEqual(layerProblems(graph, 'core', coreLayers), {
    upwardEdges: ['core/sim/helpers -> core/sim/scheduler', 'core/sim/kubelet -> core/sim/scheduler'],
    unplacedFolders: ['core/sim/newComponent'],
  });
});

test('every folder the layer table names holds source files, so that no row outlives a move', () => {
  const files = importGraphs(path.join(repoRoot, 'src')).files;
  const folders = new Set([...files.keys()].map((file) => path.posix.dirname(file)));
  const stale = coreLayers.flat().filter((folder) => !folders.has(folder));
  assert.deepEqual(stale, [], `folders in coreLayers that src does not have: ${stale.join(', ')}`);
});

/** The longest a source file under src may be: past it, a file holds more than one job. */
const maxSourceLines = 450;

function sourceFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFilesUnder(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

test(`no source file under src is longer than ${maxSourceLines} lines`, (t) => {
  const lengths = sourceFilesUnder(path.join(repoRoot, 'src')).map((file) => ({
    file: path.relative(repoRoot, file).split(path.sep).join('/'),
    lines: fs.readFileSync(file, 'utf8').split('\n').length - 1,
  }));
  assert.ok(lengths.length > 100, `expected the source files under src, found ${lengths.length}`);
  const longest = lengths.reduce((a, b) => (b.lines > a.lines ? b : a));
  t.diagnostic(`${lengths.length} files, the longest ${longest.file} with ${longest.lines} lines`);
  const tooLong = lengths.filter((l) => l.lines > maxSourceLines).map((l) => `${l.file}: ${l.lines} lines`);
  assert.deepEqual(tooLong, []);
});
