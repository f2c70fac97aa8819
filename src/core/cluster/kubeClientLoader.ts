// Loads the kubeconfig bundle (dist/kubeClient.js) the first time a real context is used.
// client-node is an ES module and esbuild cannot split a CommonJS bundle, so it lives in a
// bundle of its own beside the one that asks for it; the extension, the CLI and the trace
// worker find it in their own folder, tests pass its path.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { KubeClientModule } from './kubeClientModule';

const loaded = new Map<string, KubeClientModule>();

/** The bundle's exports; `bundle` defaults to kubeClient.js beside the running bundle. */
export function loadKubeClient(bundle: string = path.join(__dirname, 'kubeClient.js')): KubeClientModule {
  const resolved = path.resolve(bundle);
  let module = loaded.get(resolved);
  if (!module) {
    let exports: Partial<KubeClientModule>;
    try {
      // A path known only at run time, loaded by Node rather than bundled by esbuild.
      exports = createRequire(__filename)(resolved) as Partial<KubeClientModule>;
    } catch (error) {
      throw new Error(
        `podtrace: expected the kubeconfig bundle at ${resolved} (built by scripts/build.mjs), ` +
          `could not load it: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (typeof exports.openKubeconfigTarget !== 'function' || typeof exports.kubeconfigContexts !== 'function')
      throw new Error(
        `podtrace: ${resolved} is not the kubeconfig bundle: it lacks openKubeconfigTarget or kubeconfigContexts`,
      );
    module = exports as KubeClientModule;
    loaded.set(resolved, module);
  }
  return module;
}
