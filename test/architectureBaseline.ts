// The layers of src/core and the departures from them. The architecture test fails on any cycle or
// upward edge not listed here, and on any listed one that no longer exists, so that these lists only
// shrink and always tell the truth. They are empty: keep them so, and if a departure must ever be
// tolerated for a while, list it here with the commit that adds it.
import type { LayerTable } from './architectureGraph';

/**
 * The folders of src/core from the bottom up (paths relative to src). A folder may import the folders
 * on lower rows only; folders on one row are peers and may not import each other.
 *
 * - core/base: time, quantities, findings, versions; imports nothing of core.
 * - The simulator's foundations (the engine and its clock, the object store, latency profiles) need
 *   only base.
 * - The manifest: manifest/base (parsing with source maps, field paths and errors, defaults, the
 *   validation layer interface) below the layers that use it (schema and rules, then lints), and
 *   core/manifest on top, because validate.ts composes them.
 * - trace/model: the trace the simulator writes to (events, causes, the recorder, the pod observer).
 * - The simulator from the bottom up: sim/helpers (taints, node selectors, pod and volume
 *   utilities, as Kubernetes keeps them in component-helpers), the apiserver, sim/client (SimContext
 *   and the informers, as client-go), then the components as peers that never import each other
 *   (controllers, scheduler, kubelet, endpoint consumers; they talk only through the store), the
 *   cluster that wires them (core/sim), and the scenario runner that drives a cluster.
 * - core/trace: the analysis above the simulator (running a trace, source mapping, pod summaries,
 *   text and exports).
 * - core/server/patch and core/server/table: the PATCH semantics and the Table format of the
 *   simulator's Kubernetes API, pure libraries the server imports.
 * - core/cluster: the ClusterTarget interface and its implementations (the simulator in process,
 *   a kubeconfig context), above everything it drives and traces.
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
  ['core/server/patch', 'core/server/table', 'core/server/tls'],
  ['core/server'],
  ['core/cluster'],
];

/** Cycles among the files under src present today, each as its sorted files. */
export const knownFileCycles: readonly (readonly string[])[] = [];

/** Cycles among the folders under src present today, each as its sorted folders. */
export const knownFolderCycles: readonly (readonly string[])[] = [];

/** Imports between folders of src/core that go against coreLayers today. */
export const knownUpwardEdges: readonly string[] = [];
