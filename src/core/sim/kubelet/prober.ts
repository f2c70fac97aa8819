// Probe workers (pkg/kubelet/prober/worker.go): one per container and probe type. The
// first probe runs when the worker starts, then every periodSeconds; probes inside
// initialDelaySeconds are skipped; a result takes effect after failureThreshold or
// successThreshold identical results in a row; every failed attempt records Unhealthy.
// Readiness starts as failure, liveness as success; the startup probe gates the others.
import type { Container, Probe } from '../../base/apiObjects';
import type { SimEngine, TimerHandle } from '../engine/engine';
import type { ContainerState } from './podStatus';

export type ProbeType = 'Readiness' | 'Liveness' | 'Startup';

export interface ProbeHost {
  readonly engine: SimEngine;
  /** False while the node is down: the prober stops with the kubelet. */
  alive(): boolean;
  podIP(): string | undefined;
  /** Milliseconds one probe round trip takes. */
  probeLatency(): number;
  /** When the container's application stops changing by itself (it has finished starting). */
  settledAt(container: ContainerState): number;
  recordFailure(type: ProbeType, container: ContainerState, output: string): void;
  /** A result crossed its threshold: readiness changed, the container started, or it must restart. */
  onResult(type: ProbeType, container: ContainerState, success: boolean): void;
}

export class ProbeWorker {
  private timer: TimerHandle | undefined;
  private nextAt = 0;
  private lastResult: boolean | undefined;
  private resultRun = 0;
  private effective: boolean | undefined;
  private stopped = false;
  /** Stable and settled: no timer runs until wake(); nextAt keeps the period's phase. */
  private parked = false;

  constructor(
    private readonly host: ProbeHost,
    readonly type: ProbeType,
    private readonly spec: Probe,
    private readonly container: ContainerState,
  ) {
    this.effective = type === 'Readiness' ? false : type === 'Liveness' ? true : undefined;
  }

  start(): void {
    this.scheduleAt(this.host.engine.now(), false);
  }

  stop(): void {
    this.stopped = true;
    this.host.engine.cancel(this.timer);
  }

  /**
   * The application changed (it started listening, stopped, or a scenario made its probes
   * fail or pass): the next tick of the worker's period runs, and keeps the run alive unless
   * `background` says the change is only worth noticing while the run goes on anyway.
   */
  wake(background = false): void {
    if (this.stopped || (!this.timer && !this.parked)) return;
    this.host.engine.cancel(this.timer);
    let at = this.nextAt;
    const now = this.host.engine.now();
    if (this.parked && at < now) at += Math.ceil((now - at) / this.period) * this.period;
    this.parked = false;
    this.scheduleAt(at, background);
  }

  private scheduleAt(at: number, background: boolean): void {
    this.nextAt = at;
    this.timer = this.host.engine.after(at - this.host.engine.now(), () => this.tick(), background);
  }

  private get period(): number {
    return (this.spec.periodSeconds ?? 10) * 1000;
  }

  private tick(): void {
    if (this.stopped || this.container.state !== 'running') return;
    const now = this.host.engine.now();
    if (!this.host.alive()) return this.scheduleAt(now + (this.spec.periodSeconds ?? 10) * 1000, true);
    const period = (this.spec.periodSeconds ?? 10) * 1000;
    const initialDelay = (this.spec.initialDelaySeconds ?? 0) * 1000;
    if (now - (this.container.startedAt ?? now) < initialDelay) return this.scheduleAt(now + period, false);
    const latency = this.host.probeLatency();
    this.host.engine.after(latency, () => {
      if (this.stopped || this.container.state !== 'running') return;
      const output = this.run();
      const success = output === undefined;
      if (!success) this.host.recordFailure(this.type, this.container, output);
      const run = () => this.afterResult(success, now, period);
      // A result that differs from the last one changes state: its consequences are foreground work.
      if (success !== this.lastResult) this.host.engine.foreground(run);
      else run();
    });
  }

  private afterResult(success: boolean, now: number, period: number): void {
    {
      if (success === this.lastResult) this.resultRun++;
      else {
        this.lastResult = success;
        this.resultRun = 1;
      }
      const threshold = success ? (this.spec.successThreshold ?? 1) : (this.spec.failureThreshold ?? 3);
      if (this.resultRun >= threshold && this.effective !== success) {
        this.effective = success;
        this.host.engine.foreground(() => this.host.onResult(this.type, this.container, success));
        if (this.type === 'Startup' && success) return this.stop();
        if (this.type !== 'Readiness' && !success) {
          // The container is being restarted: stop probing it until it runs again.
          this.resultRun = 0;
          return this.stop();
        }
      }
      if (this.stopped) return;
      const settled = this.host.engine.now() >= this.host.settledAt(this.container);
      const stable = settled && this.effective === success && (this.type === 'Readiness' || success);
      const next = Math.max(this.host.engine.now(), now + period);
      if (stable && success && this.host.alive()) {
        // Every later tick would succeed again and change nothing (a success records no
        // event), until the
        // application changes, which wakes the worker at the tick due then: park instead of
        // running ticks that cannot be seen (they would only be background work).
        this.nextAt = next;
        this.timer = undefined;
        this.parked = true;
        return;
      }
      this.scheduleAt(next, stable);
    }
  }

  /** The probe's port, resolved once (a probe and its container's ports never change): null before. */
  private port: number | undefined | null = null;

  /** Runs the probe against the application model: undefined for success, else the prober's output. */
  private run(): string | undefined {
    const ip = this.host.podIP() ?? '';
    const c = this.container;
    if (this.port === null)
      this.port = resolvePort(this.spec.httpGet?.port ?? this.spec.tcpSocket?.port ?? this.spec.grpc?.port, c.spec);
    const port = this.port;
    const listening = c.listening && port !== undefined && c.behaviour.listenPorts.includes(port);
    if (this.spec.httpGet) {
      const scheme = String(this.spec.httpGet.scheme ?? 'HTTP').toLowerCase();
      const url = `${scheme}://${ip}:${port}${this.spec.httpGet.path ?? '/'}`;
      if (!listening) return `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused`;
      return c.failingProbes ? 'HTTP probe failed with statuscode: 500' : undefined;
    }
    if (this.spec.tcpSocket) return listening ? undefined : `dial tcp ${ip}:${port}: connect: connection refused`;
    if (this.spec.grpc) {
      if (!listening)
        return `timeout: failed to connect service "${ip}:${port}" within ${this.spec.timeoutSeconds ?? 1}s`;
      return c.failingProbes ? 'service unhealthy (responded with "NOT_SERVING")' : undefined;
    }
    // exec: the command's combined output on failure (often empty).
    return c.failingProbes ? '' : undefined;
  }
}

/** A probe port is a number or the name of one of the container's ports. */
export function resolvePort(port: unknown, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  for (const p of container.ports ?? []) if (p.name === port) return Number(p.containerPort);
  return undefined;
}
