// The simulated cluster: builds the engine, store, apiserver and every component, applies
// manifests as `kubectl apply` would (one request after another) and runs to quiescence or a
// time limit. Components talk only through the store; scenarios drive it from above
// (scenario/scenarioRunner.ts).
import { unitValue } from '../base/quantityAmount';
import type { KubernetesVersion } from '../base/kubernetesVersion';
import { TraceRecorder } from '../trace/model/recorder';
import { allowAll, sharedValidate, type ValidateFn } from './apiserver/pipeline';
import { defaultMutatingPlugins, priorityClassAdmission } from './apiserver/admissionPlugins';
import { systemPriorityClasses } from '../manifest/rules/priorityClassRules';
import { ApiServer } from './apiserver/apiServer';
import { limitRangerValidation } from './apiserver/limitRangeValidation';
import { resourceQuotaAdmission } from './apiserver/resourceQuota';
import { EventRecorder } from './apiserver/eventRecorder';
import { ConsumerHub } from './consumers/consumerHub';
import { DeploymentController } from './controllers/deploymentController';
import { DisruptionController } from './controllers/disruptionController';
import { SharedInformers } from './client/informer';
import { EndpointSliceController } from './controllers/endpointSliceController';
import { EphemeralVolumeController } from './controllers/ephemeralVolumeController';
import { GarbageCollector } from './controllers/garbageCollector';
import { NodeLifecycleController } from './controllers/nodeLifecycleController';
import { CronJobController } from './controllers/cronJobController';
import { DaemonSetController } from './controllers/daemonSetController';
import { JobController } from './controllers/jobController';
import { LocalPathProvisioner, localPathProvisioner } from './controllers/localPathProvisioner';
import { PersistentVolumeController } from './controllers/persistentVolumeController';
import { ResourceQuotaController } from './controllers/resourceQuotaController';
import { StorageProtectionController } from './controllers/storageProtection';
import { ReplicaSetController } from './controllers/replicaSetController';
import { StatefulSetController } from './controllers/statefulSetController';
import { SimEngine, type RunResult } from './engine/engine';
import { Kubelet, type NodeConfig } from './kubelet/kubelet';
import { PodObserver } from '../trace/model/podObserver';
import { defaultProfile, Latencies, type LatencyProfile } from './profile/profile';
import { Scheduler } from './scheduler/scheduler';
import type { SimContext } from './client/context';
import { ObjectStore } from './store/store';
import { resourceForKind, type KubeObject } from './store/objects';
import type { ConfigMap, Node, StorageClass } from './store/kinds';

export interface ClusterOptions {
  readonly seed: number;
  readonly profile?: LatencyProfile;
  readonly version: KubernetesVersion;
  /** Generated nodes (node-1 … node-N); ignored when `nodes` objects are given. */
  readonly nodeCount: number;
  /** Node objects from the input: their kubelets start with the cluster. */
  readonly nodes?: readonly Node[];
  /** Persist Event objects in the store (the trace records every occurrence either way). */
  readonly storeEvents?: boolean;
  /** The validation step; by default the shared apiserver rules of the validation layers. */
  readonly validate?: ValidateFn;
}

const namespacesAtStart = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The ConfigMap root-ca-cert-publisher puts in every namespace; projected token volumes mount it. */
function rootCa(namespace: string): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'kube-root-ca.crt',
      namespace,
      annotations: {
        'kubernetes.io/description':
          'Contains a CA bundle that can be used to verify the kube-apiserver when using ' +
          'internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
          'No other usage is guaranteed across distributions of Kubernetes clusters.',
      },
    },
    data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n' },
  };
}

/**
 * kind's default StorageClass: local-path-provisioner, bound where the first pod that uses a
 * claim is scheduled, deleted with its claim.
 */
const standardStorageClass: StorageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: localPathProvisioner,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

export class SimCluster {
  readonly engine: SimEngine;
  readonly ctx: SimContext;
  readonly observer = new PodObserver();
  readonly kubelets = new Map<string, Kubelet>();
  readonly consumers: ConsumerHub;
  readonly missingImages = new Set<string>();
  private readonly profile: LatencyProfile;
  private nodeIndex = 0;

  constructor(readonly options: ClusterOptions) {
    this.profile = options.profile ?? defaultProfile;
    this.engine = new SimEngine(options.seed);
    const engine = this.engine;
    const trace = new TraceRecorder();
    const watchLatency = new Latencies(this.profile, engine.random('watch'));
    // Watch events reach every watcher in resourceVersion order:
    // a later change is never delivered before an earlier one.
    let lastDelivery = 0;
    const deliver = (run: () => void) => {
      lastDelivery = Math.max(engine.now() + watchLatency.of('watchDelivery'), lastDelivery);
      engine.after(lastDelivery - engine.now(), run);
    };
    const store = new ObjectStore(engine, engine.random('uids'), { deliver });
    let serviceIp = 10;
    const api = new ApiServer(
      engine,
      store,
      trace,
      this.profile,
      {
        ...allowAll(),
        mutating: defaultMutatingPlugins(() => `10.96.${serviceIp >> 8}.${serviceIp++ & 255}`),
        validate: options.validate ?? sharedValidate,
        // In kube-apiserver's plugin order: LimitRanger, Priority, then ResourceQuota last.
        validating: [limitRangerValidation, priorityClassAdmission, resourceQuotaAdmission],
      },
      options.version,
    );
    const events = new EventRecorder(engine, store, trace, options.storeEvents ?? true);
    this.ctx = {
      engine,
      store,
      api,
      trace,
      events,
      profile: this.profile,
      version: options.version,
      informers: new SharedInformers(store),
    };
    this.bootstrap();
    const nodeConfigs = this.nodeConfigs();
    const kubelets = nodeConfigs.map((config) => this.registerNode(config));
    new ReplicaSetController(this.ctx);
    new DeploymentController(this.ctx);
    new JobController(this.ctx);
    new CronJobController(this.ctx);
    new DaemonSetController(this.ctx);
    new StatefulSetController(this.ctx);
    new EndpointSliceController(this.ctx);
    new GarbageCollector(this.ctx);
    new PersistentVolumeController(this.ctx);
    new LocalPathProvisioner(this.ctx);
    new EphemeralVolumeController(this.ctx);
    new StorageProtectionController(this.ctx);
    new ResourceQuotaController(this.ctx);
    new DisruptionController(this.ctx);
    new NodeLifecycleController(this.ctx);
    new Scheduler(this.ctx);
    this.consumers = new ConsumerHub(
      this.ctx,
      this.observer,
      nodeConfigs.map((n) => n.name),
    );
    for (const kubelet of kubelets) kubelet.start(false);
    this.watchPods();
  }

  /** The namespaces, their default ServiceAccount and kube-root-ca.crt, as a running cluster has them. */
  private bootstrap(): void {
    const store = this.ctx.store;
    for (const name of namespacesAtStart)
      store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    // The serviceaccount controller and the root-ca-cert-publisher fill every new namespace.
    for (const ns of namespacesAtStart) {
      store.create('serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: ns },
      });
      store.create('configmaps', rootCa(ns));
    }
    store.create('storageclasses', standardStorageClass);
    // The apiserver's own PriorityClasses (its scheduling/bootstrap-system-priority-classes hook).
    for (const c of systemPriorityClasses)
      store.create('priorityclasses', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: c.name },
        value: c.value,
        globalDefault: false,
        description: c.description,
        preemptionPolicy: 'PreemptLowerPriority',
      });
    store.watch('namespaces', { resourceVersion: store.resourceVersion }, (e) => {
      if (e.type !== 'ADDED') return;
      const ns = e.object.metadata.name;
      const user = 'system:kube-controller-manager';
      if (!store.get('serviceaccounts', ns, 'default'))
        this.ctx.api.create(
          'serviceaccounts',
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } },
          user,
        );
      if (!store.get('configmaps', ns, 'kube-root-ca.crt')) this.ctx.api.create('configmaps', rootCa(ns), user);
    });
  }

  private nodeConfigs(): NodeConfig[] {
    const c = (n: Parameters<Latencies['constant']>[0]) => this.profile.constants[n].value;
    if (this.options.nodes && this.options.nodes.length > 0) {
      return this.options.nodes.map((node) => ({
        name: node.metadata.name,
        index: this.nodeIndex++,
        cpu: String(node.status?.capacity?.cpu ?? c('nodeCpuMilli') / 1000),
        memory: String(node.status?.capacity?.memory ?? `${c('nodeMemoryMi')}Mi`),
        pods: node.status?.capacity?.pods === undefined ? c('nodePods') : unitValue(node.status.capacity.pods),
        labels: node.metadata.labels,
        taints: node.spec?.taints,
      }));
    }
    return Array.from({ length: this.options.nodeCount }, () => this.nextNodeConfig({}));
  }

  nextNodeConfig(overrides: {
    name?: string;
    cpu?: string;
    memory?: string;
    pods?: number;
    labels?: Record<string, string>;
  }): NodeConfig {
    const c = (n: Parameters<Latencies['constant']>[0]) => this.profile.constants[n].value;
    const index = this.nodeIndex++;
    return {
      name: overrides.name ?? `node-${index + 1}`,
      index,
      cpu: overrides.cpu ?? String(c('nodeCpuMilli') / 1000),
      memory: overrides.memory ?? `${c('nodeMemoryMi')}Mi`,
      pods: overrides.pods ?? c('nodePods'),
      labels: overrides.labels,
    };
  }

  /** A node that was there before the run: stored silently, its kubelet started with the cluster. */
  private registerNode(config: NodeConfig): Kubelet {
    const kubelet = new Kubelet(this.ctx, config, this.observer, this.missingImages);
    this.kubelets.set(config.name, kubelet);
    this.ctx.store.create('nodes', kubelet.nodeObject(this.profile));
    return kubelet;
  }

  /** A node joining during the run: registered through the apiserver, with the kubelet's start-up events. */
  startNode(config: NodeConfig): void {
    const kubelet = new Kubelet(this.ctx, config, this.observer, this.missingImages);
    this.kubelets.set(config.name, kubelet);
    const node = kubelet.nodeObject(this.profile);
    this.consumers.addKubeProxy(config.name);
    this.ctx.api.create('nodes', node, `system:node:${config.name}`, {
      traceSteps: true,
      onDone: (stored) => stored && kubelet.start(true),
    });
  }

  /** Pod milestones the observer derives from the store: created and scheduled. */
  private watchPods(): void {
    this.ctx.store.watch('pods', {}, (e) => {
      const pod = e.object;
      const uid = pod.metadata.uid!;
      const now = this.engine.now();
      if (e.type === 'ADDED')
        this.observer.mark(
          uid,
          pod.metadata.namespace!,
          pod.metadata.name,
          'created',
          now,
          this.ctx.api.lastWrite.get(uid),
        );
      if (e.type !== 'DELETED')
        this.observer.record(uid, pod.metadata.namespace!, pod.metadata.name).labels = pod.metadata.labels ?? {};
      if (pod.spec?.nodeName) {
        const r = this.observer.record(uid, pod.metadata.namespace!, pod.metadata.name);
        if (r.node === null) {
          r.node = pod.spec.nodeName;
          this.observer.mark(uid, pod.metadata.namespace!, pod.metadata.name, 'scheduled', now);
        }
      }
    });
  }

  /** `kubectl apply` of a list: one create after another, each waiting for the previous answer. */
  apply(objects: readonly KubeObject[], done?: () => void): void {
    const next = (i: number): void => {
      if (i >= objects.length) return done?.();
      const object = objects[i];
      const info = resourceForKind(object.kind);
      if (object.kind === 'Node') return next(i + 1);
      if (!info) {
        // Said, not dropped: a kind the simulator has no resource for would be stored (and,
        // for a workload, acted on) by a real cluster; the trace shows it was left out.
        this.ctx.trace.emit({
          time: this.engine.now(),
          lane: 'apiserver',
          node: null,
          object: {
            kind: object.kind,
            namespace: object.metadata?.namespace ?? null,
            name: object.metadata?.name ?? '',
            uid: null,
          },
          reason: 'NotSimulated',
          message:
            `podtrace does not simulate ${object.kind} (${object.apiVersion}) yet: ` +
            'not applied, so nothing it would create or change appears in this trace',
          severity: 'Warning',
        });
        return next(i + 1);
      }
      const namespaced = info.namespaced ? { namespace: object.metadata?.namespace ?? 'default' } : {};
      const clean: KubeObject = {
        ...object,
        apiVersion: object.apiVersion ?? info.apiVersion,
        metadata: { ...object.metadata, ...namespaced },
      };
      const existing = this.ctx.store.get(info.resource, clean.metadata.namespace, clean.metadata.name);
      const request = { traceSteps: true, onDone: () => next(i + 1) };
      if (existing)
        this.ctx.api.update(
          info.resource,
          {
            ...existing,
            metadata: { ...existing.metadata, labels: clean.metadata.labels, annotations: clean.metadata.annotations },
            spec: clean.spec,
            data: clean.data,
          } as KubeObject,
          'kubernetes-admin',
          request,
        );
      else this.ctx.api.create(info.resource, clean, 'kubernetes-admin', request);
    };
    next(0);
  }

  run(options: { untilMs?: number; capMs?: number }): RunResult {
    if (options.untilMs !== undefined)
      return this.engine.runFast({ untilMs: options.untilMs, stopAtQuiescence: false });
    return this.engine.runFast({ untilMs: options.capMs ?? 900_000, stopAtQuiescence: true });
  }
}
