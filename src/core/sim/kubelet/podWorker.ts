// One pod's life on a node, in the kubelet's order (pkg/kubelet SyncPod → kuberuntime
// SyncPod): admit and first status → volumes (FailedMount until a missing ConfigMap or
// Secret appears) → sandbox with CNI ADD → init containers one at a time → containers in
// spec order (image, create, start, postStart) → probes. Restarts, CrashLoopBackOff and
// status patches live here; termination is in podTermination.ts.
import type { Container, Volume } from '../../base/apiObjects';
import { withFields } from '../../base/withFields';
import { noCauses } from '../../trace/model/recorder';
import { keepForeignConditions } from '../helpers/podUtil';
import { isClaimBound, podClaims } from '../helpers/volumeUtil';
import { keyOf } from '../store/objects';
import type { Pod } from '../store/kinds';
import { appBehaviour } from './appModel';
import { ContainerRuntime } from './containerRuntime';
import type { KubeletHost } from './kubeletHost';
import { generateStatus, qosClass, type ConditionState, type ConditionType, type ContainerState } from './podStatus';
import { stopSidecars, terminatePod } from './podTermination';
import type { PodWorkerView } from './podWorkerView';
import { statusSummary } from './statusSummary';

const mountBackoffInitialMs = 500;
const mountBackoffMaxMs = 122_000;
/**
 * How often the volume manager's populator looks at a pod's claims
 * again (its loop runs every 100 ms; a second is enough here).
 */
const claimRecheckMs = 1000;

export class PodWorker implements PodWorkerView {
  pod: Pod;
  readonly uid: string;
  readonly containers: ContainerState[];
  readonly initContainers: ContainerState[];
  readonly conditions = new Map<ConditionType, ConditionState>();
  podIP: string | undefined;
  startTime: number | undefined;
  terminating = false;
  finished = false;
  /** The sandbox is stopped or stopping (the pod ended, or is being killed). */
  private sandboxStop: 'running' | 'stopping' | 'stopped' = 'running';
  private readonly afterSandboxStop: (() => void)[] = [];
  /** The trace id that the next step is caused by. */
  cause: number | undefined;
  readonly runtime: ContainerRuntime;
  private statusPending = false;
  private lastSummary = '';
  private qos: string | undefined;
  private mountBackoff = mountBackoffInitialMs;
  /** Whether the wait for an unbound claim was already said. */
  private claimWaitNoted = false;
  private mainStarted = false;
  private endedOnce = false;

  constructor(
    readonly host: KubeletHost,
    pod: Pod,
    cause: number | undefined,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid!;
    this.cause = cause;
    const make = (c: Container, isInit: boolean): ContainerState => ({
      spec: c,
      name: c.name,
      isInit,
      restartable: isInit && c.restartPolicy === 'Always',
      initialized: false,
      fieldPath: `spec.${isInit ? 'initContainers' : 'containers'}{${c.name}}`,
      // A sidecar runs on like a regular container; other init containers run to completion.
      behaviour: appBehaviour(pod, c, !isInit ? 'regular' : c.restartPolicy === 'Always' ? 'sidecar' : 'init'),
      state: 'waiting',
      waitingReason: isInit || !((pod.spec!.initContainers?.length ?? 0) > 0) ? 'ContainerCreating' : 'PodInitializing',
      restartCount: 0,
      ready: false,
      started: false,
      listening: false,
      failingProbes: false,
      timers: [],
    });
    this.initContainers = (pod.spec!.initContainers ?? []).map((c: Container) => make(c, true));
    this.containers = (pod.spec!.containers ?? []).map((c: Container) => make(c, false));
    this.runtime = new ContainerRuntime(this);
  }

  get key(): string {
    return keyOf(this.pod);
  }

  /** Admission and the first status: Pending, ContainerCreating, conditions False but PodScheduled. */
  start(): void {
    const now = this.host.ctx.engine.now();
    this.startTime = now;
    this.setCondition('PodReadyToStartContainers', false);
    this.setCondition('Initialized', this.initContainers.length === 0);
    this.setCondition('Ready', false);
    this.setCondition('ContainersReady', false);
    this.setCondition('PodScheduled', true);
    this.markDirty();
    this.mountVolumes();
  }

  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) terminatePod(this);
  }

  /**
   * Stops the pod sandbox once (StopPodSandbox: CNI DEL releases the IP, which the status
   * keeps) and then runs `then`; PodReadyToStartContainers turns False.
   */
  stopSandbox(then: () => void): void {
    if (this.sandboxStop === 'stopped') return then();
    this.afterSandboxStop.push(then);
    if (this.sandboxStop === 'stopping') return;
    this.sandboxStop = 'stopping';
    const stopMs = this.host.latencies.of('sandboxStop');
    this.host.ctx.engine.after(stopMs, () => {
      if (this.podIP) {
        this.host.note(this.pod, 'cni', 'CNIDel', `DEL ${this.key} eth0: released ${this.podIP}`, {
          causes: this.causes(),
          duration: stopMs,
        });
        this.host.releaseIp(this.podIP);
      }
      this.sandboxStop = 'stopped';
      this.setCondition('PodReadyToStartContainers', false);
      for (const run of this.afterSandboxStop.splice(0)) run();
    });
  }

  /** Every container has ended and none will restart: the pod is terminal and its sandbox goes (syncTerminatedPod). */
  ended(): void {
    const phase = this.phase();
    if (this.terminating || this.endedOnce || (phase !== 'Succeeded' && phase !== 'Failed')) return;
    this.endedOnce = true;
    // The regular containers are done: running sidecars are stopped, last one first, then the sandbox.
    stopSidecars(this, (this.pod.spec!.terminationGracePeriodSeconds ?? 30) * 1000, () =>
      this.stopSandbox(() => this.markDirty()),
    );
  }

  setCondition(type: ConditionType, value: boolean): void {
    const status = value ? 'True' : 'False';
    const prev = this.conditions.get(type);
    if (prev?.status === status) return;
    this.conditions.set(type, { status, time: this.host.ctx.engine.now() });
  }

  /** WaitForAttachAndMount: every referenced ConfigMap and Secret must exist (optional ones may be missing). */
  private mountVolumes(): void {
    if (this.terminating || this.host.down) return;
    const missing: { volume: string; text: string }[] = [];
    /** The claims not bound yet, with the pod volume of the first (what the wait is about). */
    const unbound: string[] = [];
    let firstUnbound: string | undefined;
    /** A claim's volume is mounted under its PersistentVolume's name. */
    const pvNames = new Map<string, string>();
    const store = this.host.ctx.store;
    const ns = this.pod.metadata.namespace;
    for (const v of this.pod.spec!.volumes ?? []) {
      const refs: { kind: 'configmap' | 'secret'; name: string; optional: boolean }[] = [];
      if (v.configMap)
        refs.push({ kind: 'configmap', name: v.configMap.name!, optional: Boolean(v.configMap.optional) });
      if (v.secret) refs.push({ kind: 'secret', name: v.secret.secretName!, optional: Boolean(v.secret.optional) });
      for (const s of v.projected?.sources ?? []) {
        if (s.configMap)
          refs.push({ kind: 'configmap', name: s.configMap.name!, optional: Boolean(s.configMap.optional) });
        if (s.secret) refs.push({ kind: 'secret', name: s.secret.name!, optional: Boolean(s.secret.optional) });
      }
      for (const ref of refs) {
        if (ref.optional || store.get(ref.kind === 'configmap' ? 'configmaps' : 'secrets', ns, ref.name)) continue;
        missing.push({ volume: v.name, text: `${ref.kind} "${ref.name}" not found` });
      }
    }
    // The volume manager mounts a claim's volume once the claim is bound (the scheduler waits
    // for that, so only a pod placed by nodeName gets here first): it waits and looks again.
    for (const { name: claimName, volume: podVolume } of podClaims(this.pod)) {
      const claim = store.get('persistentvolumeclaims', ns, claimName);
      // A bound claim names its volume.
      const volumeName = claim && isClaimBound(claim) ? claim.spec?.volumeName : undefined;
      const volume = volumeName ? store.get('persistentvolumes', undefined, volumeName) : undefined;
      if (!volume) {
        unbound.push(
          claim
            ? `persistentvolumeclaim "${claimName}" is not bound (phase ${claim.status?.phase ?? 'Pending'})`
            : `persistentvolumeclaim "${claimName}" not found`,
        );
        firstUnbound ??= podVolume;
      } else pvNames.set(podVolume, volume.metadata.name);
    }
    if (unbound.length > 0) {
      if (!this.claimWaitNoted) {
        this.claimWaitNoted = true;
        this.host.note(this.pod, 'csi', 'VolumeWait', `volumes wait for their claims: ${unbound.join('; ')}`, {
          severity: 'Warning',
          causes: this.causes(),
          cause: firstUnbound === undefined ? undefined : { kind: 'volume', volume: firstUnbound },
        });
      }
      // Background: a pod waiting for a claim nobody binds does not keep a run
      // going; the look that finds it bound carries on as foreground work.
      const engine = this.host.ctx.engine;
      engine.after(claimRecheckMs, () => engine.foreground(() => this.mountVolumes()), true);
      return;
    }
    if (missing.length > 0) {
      for (const m of missing) {
        this.host.record(
          this.pod,
          'Warning',
          'FailedMount',
          `MountVolume.SetUp failed for volume "${m.volume}" : ${m.text}`,
          { lane: 'csi', causes: this.causes(), cause: { kind: 'volume', volume: m.volume } },
        );
      }
      // nestedpendingoperations: exponential back-off per volume operation, 500 ms doubling to 2m2s.
      const wait = this.mountBackoff;
      this.mountBackoff = Math.min(this.mountBackoff * 2, mountBackoffMaxMs);
      this.host.ctx.engine.after(wait, () => this.mountVolumes());
      return;
    }
    const latency = this.host.latencies.of('volumeMount');
    this.host.ctx.engine.after(latency, () => {
      if (this.terminating || this.host.down) return;
      const names = (this.pod.spec!.volumes ?? []).map((v: Volume) => `"${pvNames.get(v.name) ?? v.name}"`).join(', ');
      if (names)
        this.cause = this.host.note(
          this.pod,
          'csi',
          'VolumesMounted',
          `MountVolume.SetUp succeeded for volume ${names}`,
          { causes: this.causes(), duration: latency },
        );
      this.createSandbox();
    });
  }

  /** RunPodSandbox: the pause container, then CNI ADD inside the runtime gives the pod its IP. */
  private createSandbox(): void {
    const sandboxMs = this.host.latencies.of('sandboxCreate');
    const cniMs = this.host.latencies.of('cniAdd');
    this.host.ctx.engine.after(sandboxMs + cniMs, () => {
      if (this.terminating || this.host.down) return;
      this.podIP = this.host.allocateIp();
      const cni = this.host.note(
        this.pod,
        'cni',
        'CNIAdd',
        `ADD ${this.key} eth0: assigned ${this.podIP}/24, gateway ${this.podIP.replace(/\.\d+$/, '.1')}`,
        { causes: this.causes(), duration: cniMs },
      );
      this.cause = this.host.note(
        this.pod,
        'cri',
        'SandboxReady',
        `RunPodSandbox: pod sandbox ready (pause image registry.k8s.io/pause:3.10)`,
        { causes: [cni], duration: sandboxMs + cniMs },
      );
      this.host.observer.mark(
        this.uid,
        this.pod.metadata.namespace!,
        this.pod.metadata.name,
        'ipAssigned',
        this.host.ctx.engine.now(),
        cni,
      );
      this.host.observer.record(this.uid, this.pod.metadata.namespace!, this.pod.metadata.name).ip = this.podIP;
      this.setCondition('PodReadyToStartContainers', true);
      this.markDirty();
      this.startNext();
    });
  }

  /** computePodActions: the next init container, or every regular container in order once init is done. */
  startNext(): void {
    if (this.terminating || this.host.down || this.finished) return;
    for (const c of this.initContainers) {
      if (c.restartable ? c.initialized : c.state === 'terminated' && c.exitCode === 0) continue;
      if (c.state === 'running' || c.timers.length > 0) return;
      this.runtime.startContainer(c, () => undefined);
      return;
    }
    if (!this.mainStarted) {
      this.mainStarted = true;
      if (this.initContainers.length > 0) {
        this.setCondition('Initialized', true);
        for (const c of this.containers)
          if (c.waitingReason === 'PodInitializing') c.waitingReason = 'ContainerCreating';
        this.markDirty();
      }
      this.startSequential(0);
    }
  }

  private startSequential(index: number): void {
    if (index >= this.containers.length) {
      this.host.observer.mark(
        this.uid,
        this.pod.metadata.namespace!,
        this.pod.metadata.name,
        'started',
        this.host.ctx.engine.now(),
        this.cause,
      );
      return;
    }
    this.runtime.startContainer(this.containers[index], () => this.startSequential(index + 1));
  }

  /** Readiness of the pod from its containers (ContainersReady, then Ready; no readiness gates in the simulator). */
  refreshReadiness(): void {
    const all = this.containers.every((c) => c.ready) && this.initContainers.every((c) => !c.restartable || c.ready);
    const before = this.conditions.get('Ready')?.status;
    this.setCondition('ContainersReady', all);
    this.setCondition('Ready', all);
    if (before !== this.conditions.get('Ready')?.status) {
      this.markDirty();
      if (!all && before === 'True')
        this.host.observer.stoppedServing(this.uid, this.host.ctx.engine.now(), 'not ready');
    }
  }

  phase(): string {
    if (
      this.initContainers.some((c) =>
        c.restartable ? !c.initialized : !(c.state === 'terminated' && c.exitCode === 0),
      )
    ) {
      return this.initContainers.some((c) => !c.restartable && c.state === 'terminated' && c.exitCode !== 0) &&
        this.pod.spec!.restartPolicy === 'Never'
        ? 'Failed'
        : 'Pending';
    }
    const running = this.containers.filter((c) => c.state === 'running').length;
    const terminated = this.containers.filter((c) => c.state === 'terminated');
    if (
      this.finished ||
      (terminated.length === this.containers.length && (this.terminating || this.pod.spec!.restartPolicy !== 'Always'))
    ) {
      const succeeded = terminated.every((c) => c.exitCode === 0) && terminated.length === this.containers.length;
      if (succeeded) return 'Succeeded';
      // OnFailure: a failed container is restarted in place, so the pod runs on (getPhase).
      return this.pod.spec!.restartPolicy === 'OnFailure' && !this.terminating && !this.finished ? 'Running' : 'Failed';
    }
    if (running > 0) return 'Running';
    if (this.containers.some((c) => c.restartCount > 0 || c.state === 'terminated')) return 'Running';
    return 'Pending';
  }

  /** The status manager: one patch after the latency, carrying whatever is current then. */
  markDirty(): void {
    if (this.statusPending) return;
    this.statusPending = true;
    this.host.ctx.engine.after(this.host.latencies.of('statusPatch'), () => {
      this.statusPending = false;
      if (this.host.down) return;
      this.patchStatus();
    });
  }

  patchStatus(onDone?: () => void): void {
    const status = generateStatus({
      pod: this.pod,
      hostIP: this.host.hostIP,
      podIP: this.podIP,
      startTime: this.startTime,
      containers: this.containers,
      initContainers: this.initContainers,
      conditions: this.conditions,
      phase: this.phase(),
      qosClass: (this.qos ??= qosClass(this.pod)),
    });
    const summary = statusSummary(status);
    const changed = summary !== this.lastSummary;
    this.lastSummary = summary;
    const ready = this.conditions.get('Ready')?.status === 'True';
    this.host.ctx.api.patchObject(
      'pods',
      this.pod,
      (cur) =>
        cur.metadata.uid === this.uid
          ? withFields(cur, { status: keepForeignConditions(cur.status, status) })
          : undefined,
      this.host.user,
      {
        onDone: (stored) => {
          if (stored && changed) {
            const id = this.host.note(this.pod, 'kubelet', 'StatusPatched', summary, { causes: this.causes() });
            if (ready)
              this.host.observer.mark(
                this.uid,
                this.pod.metadata.namespace!,
                this.pod.metadata.name,
                'ready',
                this.host.ctx.engine.now(),
                id,
              );
          }
          onDone?.();
        },
      },
    );
  }

  /** `[cause]`, one list per cause (a pod's events share it: thousands of one-element lists otherwise). */
  causes(): readonly number[] {
    if (this.cause === undefined) return noCauses;
    if (this.causeListOf !== this.cause) {
      this.causeList = [this.cause];
      this.causeListOf = this.cause;
    }
    return this.causeList;
  }

  private causeList: readonly number[] = noCauses;
  /** The cause `causeList` holds (compared as a number: reading past the end of the frozen empty list is slow). */
  private causeListOf: number | undefined;
}
