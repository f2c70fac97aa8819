// What the kubeconfig bundle (dist/kubeClient.js, built from kubeClientEntry.ts with
// @kubernetes/client-node inside) exports, as types only: code that loads the bundle on first
// use names these, and nothing of client-node reaches the bundles that do not need it.
import type { ClusterTarget } from './clusterTarget';
import type { WatchTimers } from './resumableWatch';

export interface KubeconfigSelection {
  /** A kubeconfig file; without it, KUBECONFIG (its files merged) or ~/.kube/config, as kubectl reads them. */
  readonly file?: string;
  /** Kubeconfig files in precedence order, merged as kubectl merges KUBECONFIG (the extension lists them). */
  readonly kubeconfigFiles?: readonly string[];
  /** A context of it; without it, its current-context. */
  readonly context?: string;
}

/** One context of a kubeconfig, as the target picker lists it. */
export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  /** The cluster's server URL, or '' when the context names a cluster the kubeconfig lacks. */
  readonly server: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  readonly current: boolean;
}

export interface KubeClientModule {
  /** The contexts of the kubeconfig, as client-node merges its files. */
  kubeconfigContexts(selection?: KubeconfigSelection): Promise<KubeconfigContext[]>;
  /** A target on one context; fails with what was expected and found when the context does not exist. */
  openKubeconfigTarget(selection?: KubeconfigSelection & { readonly timers?: WatchTimers }): Promise<ClusterTarget>;
}
