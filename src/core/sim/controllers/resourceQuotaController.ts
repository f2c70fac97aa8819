// The resource quota controller (pkg/controller/resourcequota): it writes a quota's
// status (hard from the spec, used counted over the namespace) when the quota is created or
// its spec changes, and again when something it counts goes away or a pod finishes (the
// replenishment controller), so that admission can charge later creates against it. Full
// resyncs every 5 minutes (--resource-quota-sync-period) recount whatever drifted.
import { formatQuantity, zeroQuantity } from '../../base/quantity';
import { namespaceUsage, quantityOf } from '../apiserver/resourceQuota';
import type { SimContext } from '../client/context';
import { rfc3339 } from '../store/naming';
import { keyOf } from '../store/objects';
import { isKind, type ResourceQuota } from '../store/kinds';
import type { ResourceQuotaStatus } from '../../base/apiObjects';
import { controllerLatency, Informer, splitKey, WorkQueue } from '../client/informer';
import { isPodTerminal } from '../helpers/podUtil';

const user = 'system:serviceaccount:kube-system:resourcequota-controller';
const resyncMs = 5 * 60_000;
/** Kinds whose going away gives quota back at once (pods also when they finish); other counts wait for the resync. */
const replenished = ['pods', 'persistentvolumeclaims', 'services'];

export class ResourceQuotaController {
  private readonly quotas: Informer<ResourceQuota>;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'resourcequota-controller'), (key) => this.sync(key));
    this.quotas = ctx.informers.get('resourcequotas').onChange((e, old) => {
      if (e.type === 'DELETED') return;
      // Admission's own charges change the status only: nothing to recount.
      if (e.type === 'MODIFIED' && old !== undefined && old.spec === e.object.spec) return;
      this.queue.add(keyOf(e.object));
    });
    for (const resource of replenished) {
      ctx.informers.get(resource).onChange((e, old) => {
        const gone =
          e.type === 'DELETED' ||
          // The pods informer holds pods only: the kind checks always pass, and name the kind for the types.
          (resource === 'pods' &&
            isKind(e.object, 'Pod') &&
            isPodTerminal(e.object) &&
            !(old && isKind(old, 'Pod') && isPodTerminal(old)));
        if (gone) this.replenish(e.object.metadata.namespace);
      });
    }
  }

  private replenish(namespace: string | undefined): void {
    if (namespace === undefined) return;
    for (const quota of this.quotas.inNamespace(namespace)) this.queue.add(keyOf(quota));
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const quota = this.quotas.get(namespace, name);
    if (!quota || quota.metadata.deletionTimestamp || namespace === undefined) return;
    this.queue.addAfter(key, resyncMs, true);
    const hardSpec: Record<string, unknown> = quota.spec?.hard ?? {};
    const names = Object.keys(hardSpec);
    const used = namespaceUsage(this.ctx.store, namespace, names, rfc3339(this.ctx.engine.now()));
    const status = {
      hard: Object.fromEntries(names.map((n) => [n, formatQuantity(quantityOf(hardSpec[n]))])),
      used: Object.fromEntries(names.map((n) => [n, formatQuantity(used.get(n) ?? zeroQuantity)])),
    };
    const old: Partial<ResourceQuotaStatus> = quota.status ?? {};
    if (
      JSON.stringify(old.hard) === JSON.stringify(status.hard) &&
      JSON.stringify(old.used) === JSON.stringify(status.used)
    )
      return;
    this.ctx.engine.foreground(() =>
      this.ctx.api.patch('resourcequotas', namespace, name, (cur) => ({ ...cur, status }), user),
    );
  }
}
