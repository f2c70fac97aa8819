// Starting, probing, restarting and killing one pod's containers (kuberuntime_container.go
// startContainer and killContainer, kuberuntime_manager.go doBackOff): image, config,
// Created, Started, postStart (a failed one kills the container); the application model;
// CrashLoopBackOff (10 s doubling to 300 s; the first restart is immediate); probe results
// turned into ready and restarts; preStop, SIGTERM and SIGKILL.
import { fieldsCause, hookCauses, probeCauses, type EventCause, type ProbeField } from '../../trace/model/eventCause';
import { goDuration } from '../helpers/goDuration';
import { ProbeWorker, type ProbeHost, type ProbeType } from './prober';
import type { ContainerState } from './podStatus';
import type { PodContainers, PodWorkerView } from './podWorkerView';
import { containerConfigError } from './containerConfig';
import { ensureImage } from './imageStep';
import { hookDurationMs, hookFails } from './lifecycleHook';

/** A SIGKILL comes when the grace period runs out before the application has stopped. */
const gracePeriodCause = fieldsCause('spec.terminationGracePeriodSeconds');

/** The kubelet re-syncs a pod whose sync failed after workerBackOffPeriod (10 s) with up to 50 % jitter. */
const workerBackOffMs = 10_000;

export class ContainerRuntime implements ProbeHost, PodContainers {
  private readonly probes = new Map<ContainerState, ProbeWorker[]>();

  constructor(private readonly w: PodWorkerView) {}

  get engine() {
    return this.w.host.ctx.engine;
  }

  alive(): boolean {
    return !this.w.host.down;
  }

  podIP(): string | undefined {
    return this.w.podIP;
  }

  probeLatency(): number {
    return this.w.host.latencies.of('probeRun');
  }

  settledAt(c: ContainerState): number {
    return (c.startedAt ?? 0) + (c.behaviour.startupMs ?? 0) + 1;
  }

  /** A kubelet event about container `c` (and, with `cause`, about that part of it). */
  event(
    c: ContainerState,
    severity: 'Normal' | 'Warning',
    reason: string,
    message: string,
    cause?: EventCause,
    lane: 'kubelet' | 'cri' = 'kubelet',
  ): number {
    const id = this.w.host.record(this.w.pod, severity, reason, message, {
      fieldPath: c.fieldPath,
      causes: this.w.causes(),
      cause,
      lane,
    });
    this.w.cause = id;
    return id;
  }

  resyncAfterError(c: ContainerState, retry: () => void): void {
    const jitter = this.w.host.random.next() * 0.5 * workerBackOffMs;
    c.timers.push(
      this.engine.after(workerBackOffMs + jitter, () => {
        c.timers = [];
        if (!this.w.terminating && !this.w.host.down) retry();
      }),
    );
  }

  startContainer(c: ContainerState, onStarted: () => void): void {
    if (this.w.terminating || this.w.host.down) return;
    const v135 = this.w.host.ctx.version === '1.35';
    ensureImage(this, this.w, c, () => {
      const configError = containerConfigError(this.w.host.ctx.store, this.w.pod.metadata.namespace, c.spec);
      if (configError) {
        c.waitingReason = 'CreateContainerConfigError';
        c.waitingMessage = configError.message;
        this.event(c, 'Warning', 'Failed', `Error: ${configError.message}`, configError.cause);
        this.w.markDirty();
        return this.resyncAfterError(c, () => this.startContainer(c, onStarted));
      }
      const createMs = this.w.host.latencies.of('containerCreate');
      const startMs = this.w.host.latencies.of('containerStart');
      c.timers.push(
        this.engine.after(createMs, () => {
          if (this.w.terminating || this.w.host.down) return;
          c.containerId = `containerd://${this.w.host.random.chars(64, '0123456789abcdef')}`;
          this.event(
            c,
            'Normal',
            'Created',
            v135 ? 'Container created' : `Created container: ${c.name}`,
            undefined,
            'cri',
          );
          c.timers.push(
            this.engine.after(startMs, () => {
              c.timers = [];
              if (this.w.terminating || this.w.host.down) return;
              c.state = 'running';
              c.startedAt = this.engine.now();
              c.waitingReason = '';
              c.waitingMessage = undefined;
              this.event(
                c,
                'Normal',
                'Started',
                v135 ? 'Container started' : `Started container ${c.name}`,
                undefined,
                'cri',
              );
              this.runApp(c);
              this.w.markDirty();
              const postStart = c.spec.lifecycle?.postStart;
              const hookMs = postStart ? hookDurationMs(postStart, this.w.host.latencies.of('probeRun')) : 0;
              // postStart runs synchronously after Started and holds back the next container.
              const hook = this.engine.after(hookMs, () => {
                // Only this timer is done: the application's own (runApp) stays cancellable.
                c.timers = c.timers.filter((t) => t !== hook);
                if (postStart && hookFails(postStart, c)) {
                  this.postStartFailed(c);
                  return onStarted();
                }
                if (c.isInit && !c.restartable) return;
                this.startProbes(c);
                onStarted();
              });
              c.timers.push(hook);
            }),
          );
        }),
      );
    });
  }

  /** The application model: listening after its startup time; a configured exit code ends it then. */
  private runApp(c: ContainerState): void {
    const b = c.behaviour;
    const startupMs = b.startupMs ?? this.w.host.latencies.of('appStartup');
    (c.behaviour as { startupMs: number | undefined }).startupMs ??= startupMs;
    c.timers.push(
      this.engine.after(startupMs, () => {
        if (c.state !== 'running') return;
        if (b.exitCode !== undefined) return this.onExit(c, b.exitCode, b.exitCode === 0 ? 'Completed' : 'Error');
        c.listening = true;
        if (b.listenPorts.length > 0)
          this.w.host.note(
            this.w.pod,
            'app',
            'Listening',
            `container ${c.name} listening on ${b.listenPorts.map((p) => `:${p}`).join(', ')}`,
            { fieldPath: c.fieldPath, causes: this.w.causes() },
          );
        for (const p of this.probes.get(c) ?? []) p.wake();
      }),
    );
  }

  private startProbes(c: ContainerState): void {
    const startup = c.spec.startupProbe;
    if (startup) {
      const worker = new ProbeWorker(this, 'Startup', startup, c);
      this.probes.set(c, [worker]);
      worker.start();
      return;
    }
    this.markStarted(c);
  }

  /** Started: the startup probe passed (or there is none); readiness and liveness begin. */
  private markStarted(c: ContainerState): void {
    c.started = true;
    // A sidecar that has started lets the next init container (or the regular ones) go.
    const firstStart = c.restartable && !c.initialized;
    if (firstStart) c.initialized = true;
    const workers: ProbeWorker[] = [];
    if (c.spec.readinessProbe) workers.push(new ProbeWorker(this, 'Readiness', c.spec.readinessProbe, c));
    else c.ready = true;
    if (c.spec.livenessProbe) workers.push(new ProbeWorker(this, 'Liveness', c.spec.livenessProbe, c));
    this.probes.set(c, workers);
    for (const worker of workers) worker.start();
    this.w.refreshReadiness();
    this.w.markDirty();
    if (firstStart) this.w.startNext();
  }

  recordFailure(type: ProbeType, c: ContainerState, output: string): void {
    this.w.host.record(this.w.pod, 'Warning', 'Unhealthy', `${type} probe failed: ${output}`, {
      fieldPath: c.fieldPath,
      causes: this.w.causes(),
      cause: probeCauses[probeFields[type]],
      lane: 'probe',
    });
  }

  onResult(type: ProbeType, c: ContainerState, success: boolean): void {
    if (type === 'Startup') {
      if (success) return this.markStarted(c);
      this.restartUnhealthy(c, 'startup');
      return;
    }
    if (type === 'Liveness') {
      if (!success) this.restartUnhealthy(c, 'liveness');
      return;
    }
    const wasReady = c.ready;
    c.ready = success && c.state === 'running';
    // The container's ready flag is part of the status even when the
    // pod's conditions stay as they are (another container is not ready).
    if (c.ready !== wasReady) this.w.markDirty();
    this.w.cause = this.w.host.note(
      this.w.pod,
      'probe',
      success ? 'ProbeSucceeded' : 'ProbeFailedThreshold',
      `Readiness probe of container ${c.name} now ` +
        `${success ? 'succeeds' : `fails (${c.spec.readinessProbe?.failureThreshold ?? 3} in a row)`}`,
      { fieldPath: c.fieldPath, causes: this.w.causes(), cause: probeCauses.readinessProbe },
    );
    this.w.refreshReadiness();
  }

  private restartUnhealthy(c: ContainerState, probe: 'liveness' | 'startup'): void {
    this.event(
      c,
      'Normal',
      'Killing',
      `Container ${c.name} failed ${probe} probe, will be restarted`,
      probeCauses[`${probe}Probe`],
    );
    const grace =
      (c.spec[`${probe}Probe`]?.terminationGracePeriodSeconds ?? this.w.pod.spec!.terminationGracePeriodSeconds ?? 30) *
      1000;
    this.kill(c, grace, () => this.restartAfterKill(c));
  }

  /**
   * startContainer's step 4: a failed postStart hook is reported without its error (which
   * could hold secrets) and the container is killed with the hook's name as the message.
   */
  private postStartFailed(c: ContainerState): void {
    this.event(c, 'Warning', 'FailedPostStartHook', 'PostStartHook failed', hookCauses.postStart);
    this.event(c, 'Normal', 'Killing', 'FailedPostStartHook', hookCauses.postStart);
    this.kill(c, (this.w.pod.spec!.terminationGracePeriodSeconds ?? 30) * 1000, () => this.restartAfterKill(c));
  }

  /**
   * A container the kubelet killed (a failed liveness or startup probe, a failed postStart)
   * is started again unless the pod's restartPolicy is Never, whatever its exit code
   * (shouldRestartOnFailure), once PLEG has seen it exit; sidecars always are.
   */
  private restartAfterKill(c: ContainerState): void {
    this.engine.after(this.w.host.latencies.of('plegRelist'), () => {
      if (this.w.terminating || this.w.host.down) return;
      this.w.markDirty();
      if (!c.restartable && this.w.pod.spec!.restartPolicy === 'Never') return this.w.ended();
      this.restartWithBackoff(c);
    });
  }

  wakeProbes(c: ContainerState): void {
    for (const p of this.probes.get(c) ?? []) p.wake();
  }

  stopProbes(c: ContainerState): void {
    for (const p of this.probes.get(c) ?? []) p.stop();
    this.probes.delete(c);
  }

  /** killContainer: preStop within the grace period, SIGTERM, then SIGKILL when the grace runs out (at least 2 s). */
  kill(c: ContainerState, graceMs: number, done: () => void): void {
    if (c.state !== 'running') return done();
    const started = this.engine.now();
    const preStop = c.spec.lifecycle?.preStop;
    const hookMs = preStop ? Math.min(graceMs, hookDurationMs(preStop, this.w.host.latencies.of('probeRun'))) : 0;
    for (const t of c.timers) this.engine.cancel(t);
    c.timers = [];
    c.timers.push(
      this.engine.after(hookMs, () => {
        if (c.state !== 'running') return done();
        // executePreStopHook: a failure is reported without its error, and SIGTERM follows all the same.
        if (preStop && hookFails(preStop, c))
          this.event(c, 'Warning', 'FailedPreStopHook', 'PreStopHook failed', hookCauses.preStop);
        const remaining = Math.max(2000, graceMs - (this.engine.now() - started));
        c.listening = false;
        // Probes keep running during termination: the next one finds the port closed.
        for (const p of this.probes.get(c) ?? []) p.wake(true);
        this.w.host.observer.stoppedServing(this.w.uid, this.engine.now(), 'SIGTERM');
        this.w.cause = this.w.host.note(
          this.w.pod,
          'app',
          'SIGTERM',
          `container ${c.name} sent SIGTERM${hookMs ? ` after preStop (${goDuration(hookMs)})` : ''}; ` +
            `grace period left ${goDuration(remaining)}`,
          { fieldPath: c.fieldPath, causes: this.w.causes(), cause: hookMs ? hookCauses.preStop : undefined },
        );
        const shutdownMs = c.behaviour.shutdownMs ?? this.w.host.latencies.of('appShutdown');
        const killed = shutdownMs > remaining;
        c.timers.push(
          this.engine.after(Math.min(shutdownMs, remaining), () => {
            c.timers = [];
            if (killed)
              this.w.cause = this.w.host.note(
                this.w.pod,
                'app',
                'SIGKILL',
                `container ${c.name} did not exit within the grace period: SIGKILL`,
                { fieldPath: c.fieldPath, causes: this.w.causes(), cause: gracePeriodCause, severity: 'Warning' },
              );
            this.onExit(c, killed ? 137 : 0, killed ? 'Error' : 'Completed', done);
          }),
        );
      }),
    );
  }

  /** The process ended: PLEG notices within its relist period; then restart per policy, with back-off. */
  onExit(c: ContainerState, exitCode: number, reason: string, done?: () => void): void {
    const now = this.engine.now();
    c.state = 'terminated';
    c.exitCode = exitCode;
    c.termReason = reason;
    c.finishedAt = now;
    c.listening = false;
    c.ready = false;
    c.started = false;
    this.stopProbes(c);
    this.w.host.note(this.w.pod, 'app', 'Exited', `container ${c.name} exited with code ${exitCode} (${reason})`, {
      fieldPath: c.fieldPath,
      causes: this.w.causes(),
      severity: exitCode === 0 ? 'Normal' : 'Warning',
    });
    if (done) {
      this.w.refreshReadiness();
      return done();
    }
    this.engine.after(this.w.host.latencies.of('plegRelist'), () => {
      if (this.w.terminating || this.w.host.down) return;
      this.w.refreshReadiness();
      this.w.markDirty();
      if (c.isInit && !c.restartable && exitCode === 0) return this.w.startNext();
      // A sidecar is restarted whatever the pod's policy, unless the regular containers are done.
      if (c.restartable && this.w.phase() !== 'Succeeded' && this.w.phase() !== 'Failed')
        return this.restartWithBackoff(c);
      const policy = this.w.pod.spec!.restartPolicy ?? 'Always';
      if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) return this.w.ended();
      this.restartWithBackoff(c);
    });
  }

  private restartWithBackoff(c: ContainerState): void {
    if (this.w.terminating || this.w.host.down || c.state !== 'terminated') return;
    const host = this.w.host;
    const key = `${this.w.pod.metadata.name}_${this.w.pod.metadata.namespace}_${this.w.uid}_${c.name}`;
    const now = this.engine.now();
    const finishedAt = c.finishedAt ?? now;
    if (host.crashBackoff.isInBackOffSince(key, finishedAt, now)) {
      const podText = `${this.w.pod.metadata.name}_${this.w.pod.metadata.namespace}(${this.w.uid})`;
      c.waitingReason = 'CrashLoopBackOff';
      const backoff = goDuration(host.crashBackoff.get(key));
      c.waitingMessage = `back-off ${backoff} restarting failed container=${c.name} pod=${podText}`;
      this.event(c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podText}`);
      this.w.markDirty();
      const expires = finishedAt + host.crashBackoff.get(key);
      const jitter = host.random.next() * 0.5 * workerBackOffMs;
      const next = Math.min(expires + host.latencies.of('plegRelist'), now + workerBackOffMs + jitter);
      c.timers.push(
        this.engine.after(next - now, () => {
          c.timers = [];
          this.restartWithBackoff(c);
        }),
      );
      return;
    }
    host.crashBackoff.next(key, finishedAt);
    c.lastTerminated = {
      exitCode: c.exitCode ?? 0,
      reason: c.termReason ?? 'Error',
      startedAt: c.startedAt ?? now,
      finishedAt,
      containerID: c.containerId ?? '',
    };
    c.restartCount++;
    host.observer.record(this.w.uid, this.w.pod.metadata.namespace!, this.w.pod.metadata.name).restarts =
      c.restartCount;
    c.state = 'waiting';
    c.waitingReason = 'ContainerCreating';
    this.startContainer(c, () => undefined);
  }
}

/** The probe field of each probe type. */
const probeFields: { readonly [T in ProbeType]: ProbeField } = {
  Readiness: 'readinessProbe',
  Liveness: 'livenessProbe',
  Startup: 'startupProbe',
};
