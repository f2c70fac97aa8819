// The kubeconfig target lives in a bundle of its own (dist/kubeClient.js, built from
// src/core/cluster with @kubernetes/client-node inside), because client-node is an ES module
// that esbuild cannot split out of the extension's CommonJS bundle (DESIGN section 2). It is
// loaded here, on first use of a real context, and never before: listing contexts reads the
// kubeconfig files with podtrace's own YAML parser. No 'vscode' here.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ClusterTarget } from '../core/cluster/clusterTarget';

export interface KubeconfigTargetOptions {
  /** The kubeconfig files, in precedence order, as KUBECONFIG lists them. */
  readonly kubeconfigFiles: readonly string[];
  readonly context: string;
}

/** What dist/kubeClient.js exports. */
export interface KubeClientModule {
  openKubeconfigTarget(options: KubeconfigTargetOptions): Promise<ClusterTarget>;
}

export const kubeClientBundleName = 'kubeClient.js';

/**
 * Loads the bundle from the extension's dist folder (once: Node's module cache keeps it).
 * Throws when it is missing or does not export what the extension calls, saying which file.
 */
export function loadKubeClient(extensionPath: string): KubeClientModule {
  const file = path.join(extensionPath, 'dist', kubeClientBundleName);
  // createRequire keeps esbuild from trying to bundle a file that is built next to this one.
  const loaded: unknown = createRequire(__filename)(file);
  const open = (loaded as { openKubeconfigTarget?: unknown } | null)?.openKubeconfigTarget;
  if (typeof open !== 'function')
    throw new Error(`expected ${file} to export a function openKubeconfigTarget, found ${typeof open}`);
  return loaded as KubeClientModule;
}
