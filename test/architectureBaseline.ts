// The layers of src/core and the departures from them that exist today. The architecture test fails on
// any cycle or upward edge not listed here, and on any listed one that no longer exists, so that this
// list only shrinks and always tells the truth. Remove an entry in the commit that removes its cause.
import type { LayerTable } from './architectureGraph';

/**
 * The folders of src/core from the bottom up (paths relative to src). A folder may import the folders
 * on lower rows only; folders on one row are peers and may not import each other. core/manifest sits
 * above its subfolders because validate.ts composes them (its helpers that the subfolders use are to
 * move down), core/sim above its components because cluster.ts composes them (context.ts is to move
 * down), the scenario runner above the cluster it drives, and core/trace's analysis on top (the trace
 * model the simulator writes to is to move below the simulator).
 */
export const coreLayers: LayerTable = [
  ['core/base'],
  ['core/sim/engine', 'core/sim/store', 'core/sim/profile'],
  ['core/manifest/base'],
  ['core/manifest/schema', 'core/manifest/rules'],
  ['core/manifest/lints'],
  ['core/manifest'],
  ['core/trace/model'],
  ['core/sim/helpers'],
  ['core/sim/apiserver'],
  ['core/sim/client'],
  ['core/sim/controllers', 'core/sim/scheduler', 'core/sim/kubelet', 'core/sim/consumers'],
  ['core/sim'],
  ['core/sim/scenario'],
  ['core/trace'],
];

/** Cycles among the files under src present today, each as its sorted files. */
export const knownFileCycles: readonly (readonly string[])[] = [];

/** Cycles among the folders under src present today, each as its sorted folders. */
export const knownFolderCycles: readonly (readonly string[])[] = [];

/** Imports between folders of src/core that go against coreLayers today. */
export const knownUpwardEdges: readonly string[] = [];
