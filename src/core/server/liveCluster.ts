// The simulator as a server runs it: one SimCluster paced to the wall clock for as long as the
// server lives (never stopping at quiescence: clients come and go), so that clients see pods
// progress. Requests enter between two steps of the engine: the clock is first brought up to
// the wall's time, the request is submitted, and the pacer wakes for whatever it scheduled.
import { ms } from '../base/time';
import type { KubernetesVersion } from '../base/kubernetesVersion';
import type { LatencyProfile } from '../sim/profile/profile';
import { SimCluster } from '../sim/cluster';
import type { ApiError } from '../sim/store/apiError';
import type { WallScheduler } from '../sim/engine/pacedRunner';
import { WallTime } from './wallTime';

export interface LiveClusterOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly speed: number;
  readonly version: KubernetesVersion;
  readonly profile?: LatencyProfile;
}

/** How the simulator's apiserver answers: the stored object, or the error that refused the request. */
export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Wall milliseconds between ticks at most: the longest a client waits for an answer due now. */
const maxTickMs = 50;

export const systemWall: WallScheduler = {
  now: () => performance.now(),
  setTimer: (delay, run) => {
    // Node's timers have a 1 ms floor: what is due sooner (at a high speed) runs on the next turn instead.
    if (delay < 1) {
      const immediate = setImmediate(run);
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(run, delay);
    return () => clearTimeout(timer);
  },
};

export class LiveCluster {
  readonly cluster: SimCluster;
  private readonly wallStart: number;
  private readonly virtualStart: number;
  /** How the server shows virtual timestamps on the wall clock, and reads clients' back. */
  readonly wallTime: WallTime;
  private cancelTimer: (() => void) | undefined;
  private stopped = false;
  /** Run when the server stops, by whoever opened something that must end with it (watches). */
  private readonly onStop = new Set<() => void>();

  constructor(
    readonly options: LiveClusterOptions,
    private readonly wall: WallScheduler = systemWall,
  ) {
    if (!(options.speed > 0)) throw new Error(`serve: speed must be a positive number, got ${options.speed}`);
    this.cluster = new SimCluster({
      seed: options.seed,
      nodeCount: options.nodes,
      version: options.version,
      profile: options.profile,
    });
    // The nodes' start-up settles in fast mode, so the first client finds a Ready cluster.
    this.cluster.run({});
    this.wallStart = wall.now();
    this.virtualStart = this.cluster.engine.now();
    this.wallTime = new WallTime(this.virtualStart, Date.now(), options.speed);
    this.schedule(0);
  }

  get engine() {
    return this.cluster.engine;
  }

  get store() {
    return this.cluster.ctx.store;
  }

  get api() {
    return this.cluster.ctx.api;
  }

  /** Runs every event due by the wall clock now. */
  catchUp(): void {
    if (this.stopped) return;
    const target = this.virtualStart + (this.wall.now() - this.wallStart) * this.options.speed;
    this.engine.runUntil(ms(Math.floor(target)));
  }

  /** Runs what is due now and sets the timer for what follows: after a request or a new watch. */
  nudge(): void {
    this.catchUp();
    this.reschedule();
  }

  private tick = (): void => {
    this.cancelTimer = undefined;
    this.catchUp();
    this.reschedule();
  };

  private schedule(delay: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.wall.setTimer(delay, this.tick);
  }

  /** Sets the timer for the next event, or for a tick at most `maxTickMs` away. */
  private reschedule(): void {
    if (this.stopped) return;
    const next = this.engine.nextEventTime();
    const wait =
      next === undefined
        ? maxTickMs
        : Math.min(maxTickMs, Math.max(0, (next - this.engine.now()) / this.options.speed));
    this.schedule(wait);
  }

  /**
   * Submits a request to the simulator's apiserver with the clock caught up, and resolves with
   * its answer once the engine has run to it (after the profile's request and etcd latency).
   */
  request<T>(submit: (done: (result: T | undefined, error: ApiError | undefined) => void) => void): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
      if (this.stopped) return reject(new Error('the simulated cluster has stopped'));
      this.catchUp();
      submit((result, error) => {
        if (error) resolve({ ok: false, error });
        else resolve({ ok: true, value: result as T });
      });
      this.reschedule();
    });
  }

  /** Registers `stop` to run when the cluster stops; returns a function that unregisters it. */
  whenStopped(stop: () => void): () => void {
    this.onStop.add(stop);
    return () => this.onStop.delete(stop);
  }

  get running(): boolean {
    return !this.stopped;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    for (const stop of [...this.onStop]) stop();
    this.onStop.clear();
  }
}
