// The entry of the kubeconfig bundle (dist/kubeClient.js): the one place that imports
// @kubernetes/client-node at run time. client-node reads the kubeconfig (KUBECONFIG and the
// default file, or a given file) and prepares every request's TLS and credentials (token,
// client certificate, exec plugins, refreshed as they expire); KubeconfigTarget does the rest.
// Loaded on first use of a real context (kubeClientLoader.ts), never at start.
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type * as https from 'node:https';
import { httpTransport } from './apiTransport';
import type { KubeClientModule, KubeconfigContext, KubeconfigSelection } from './kubeClientModule';
import { KubeconfigTarget } from './kubeconfigTarget';
import type { WatchTimers } from './resumableWatch';

/** The kubeconfig files a selection reads, for messages. */
function where(selection: KubeconfigSelection): string {
  if (selection.file !== undefined) return selection.file;
  if (selection.kubeconfigFiles && selection.kubeconfigFiles.length > 0) return selection.kubeconfigFiles.join(', ');
  return '(KUBECONFIG or ~/.kube/config)';
}

async function load(selection: KubeconfigSelection = {}): Promise<KubeConfig> {
  // client-node is an ES module; esbuild inlines this import into the bundle's CommonJS.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const files = selection.kubeconfigFiles ?? [];
  if (selection.file !== undefined) kc.loadFromFile(selection.file);
  else if (files.length > 0) {
    // As kubectl merges KUBECONFIG: the first file to name a cluster, user or context wins, and
    // the first current-context set is the current one (client-node's own merge refuses repeats).
    const each = files.map((file) => {
      const one = new KubeConfig();
      one.loadFromFile(file);
      return one;
    });
    const firsts = <T extends { readonly name: string }>(lists: readonly (readonly T[])[]): T[] => {
      const byName = new Map<string, T>();
      for (const list of lists) for (const item of list) if (!byName.has(item.name)) byName.set(item.name, item);
      return [...byName.values()];
    };
    kc.loadFromOptions({
      clusters: firsts(each.map((k) => k.clusters)),
      users: firsts(each.map((k) => k.users)),
      contexts: firsts(each.map((k) => k.contexts)),
      currentContext: each.map((k) => k.currentContext).find((c) => c) ?? '',
    });
  } else kc.loadFromDefault();
  if (selection.context !== undefined) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(selection.context))
      throw new Error(
        `kubeconfig ${where(selection)}: expected a context named ` +
          `${JSON.stringify(selection.context)}, found ${names.length === 0 ? 'none' : names.join(', ')}`,
      );
    kc.setCurrentContext(selection.context);
  }
  return kc;
}

const systemTimers: WatchTimers = {
  now: () => Date.now(),
  setTimer: (delayMs, run) => {
    const timer = setTimeout(run, delayMs);
    return () => clearTimeout(timer);
  },
};

export const kubeconfigContexts: KubeClientModule['kubeconfigContexts'] = async (selection) => {
  const kc = await load({ file: selection?.file, kubeconfigFiles: selection?.kubeconfigFiles });
  const current = kc.getCurrentContext();
  return kc.getContexts().map((c): KubeconfigContext => ({
    name: c.name,
    cluster: c.cluster,
    user: c.user,
    server: kc.getCluster(c.cluster)?.server ?? '',
    namespace: c.namespace ?? 'default',
    current: c.name === current,
  }));
};

export const openKubeconfigTarget: KubeClientModule['openKubeconfigTarget'] = async (selection = {}) => {
  const kc = await load(selection);
  const contextName = kc.getCurrentContext();
  const context = kc.getContextObject(contextName);
  const cluster = kc.getCurrentCluster();
  if (!context || !cluster)
    throw new Error(
      `kubeconfig ${where(selection)}: expected context ` +
        `${JSON.stringify(contextName)} to name a cluster it defines, found ` +
        (context ? `cluster ${JSON.stringify(context.cluster)} missing` : 'no such context'),
    );
  const prepare = async (): Promise<https.RequestOptions> => {
    const options: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    return options;
  };
  return new KubeconfigTarget({
    transport: httpTransport(cluster.server, prepare),
    description: {
      name: contextName,
      kind: 'kubeconfig',
      context: contextName,
      server: cluster.server,
      namespace: context.namespace ?? 'default',
    },
    timers: selection.timers ?? systemTimers,
  });
};
