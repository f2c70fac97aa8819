// The kubelet's image manager (pkg/kubelet/images): pull policy, a per-node image cache,
// serialized pulls (serializeImagePulls: true by default, so a pull waits for the one
// before it), pull back-off per pod and image (10 s doubling to 300 s) and the event texts.
import type { SimEngine } from '../engine/engine';
import { normalizeImage } from '../helpers/imageName';
import { goDuration } from '../helpers/goDuration';

export const imageBackoffInitialMs = 10_000;
export const imageBackoffMaxMs = 300_000;

/** What the simulated registry answers for an image: its size, or the CRI error of a failed pull. */
export type PullOutcome =
  { readonly ok: true; readonly sizeBytes: number } | { readonly ok: false; readonly error: string };

export interface PullResult {
  readonly outcome: PullOutcome;
  readonly pullMs: number;
  readonly totalMs: number;
}

// The reference grammar's parts: an optional registry host, path components of lower-case
// words joined by separators, an optional tag and digest.
const registryHost = /(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?/.source;
const pathComponent = /[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*/.source;
const optionalTag = /(?::[\w][\w.-]{0,127})?/.source;
const optionalDigest = /(?:@sha256:[a-f0-9]{64})?/.source;

/** The reference grammar's rough shape: lower-case repository path, optional tag and digest. */
const referencePattern = new RegExp(
  `^${registryHost}${pathComponent}(?:\\/${pathComponent})*${optionalTag}${optionalDigest}$`,
);

export function isValidImageReference(image: string): boolean {
  return referencePattern.test(image);
}

export function pullingMessage(image: string): string {
  return `Pulling image "${image}"`;
}

export function pulledMessage(image: string, result: PullResult, sizeBytes: number): string {
  return (
    `Successfully pulled image "${image}" in ${goDuration(result.pullMs)} ` +
    `(${goDuration(result.totalMs)} including waiting). Image size: ${sizeBytes} bytes.`
  );
}

/** containerd's answer for a reference the registry does not have. */
export function notFoundError(image: string): string {
  const ref = normalizeImage(image);
  return (
    `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": ` +
    `failed to resolve reference "${ref}": ${ref}: not found`
  );
}

/** One node's image store and its serial puller. */
export class NodeImages {
  private readonly present = new Set<string>();
  private busyUntil = 0;

  constructor(
    private readonly engine: SimEngine,
    preloaded: readonly string[],
  ) {
    for (const image of preloaded) this.present.add(normalizeImage(image));
  }

  has(image: string): boolean {
    return this.present.has(normalizeImage(image));
  }

  list(): string[] {
    return [...this.present];
  }

  /**
   * Queues a pull behind the ones already running on this node and calls `done` when it
   * finishes. `durationMs` is what the pull itself takes once it starts.
   */
  pull(image: string, durationMs: number, outcome: PullOutcome, done: (result: PullResult) => void): void {
    const now = this.engine.now();
    const start = Math.max(now, this.busyUntil);
    const end = start + Math.max(1, Math.round(outcome.ok ? durationMs : durationMs / 4));
    this.busyUntil = end;
    this.engine.after(end - now, () => {
      if (outcome.ok) this.present.add(normalizeImage(image));
      done({ outcome, pullMs: end - start, totalMs: end - now });
    });
  }
}

/**
 * flowcontrol.Backoff as the kubelet uses it for pulls and restarts: doubling, capped, forgotten after 2 × max idle.
 */
export class Backoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** True while `now` is within the current back-off period counted from `eventTime`. */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.maxMs) return false;
    return now - eventTime < e.backoff;
  }

  /** Starts or doubles the back-off for `key`; returns the new period. */
  next(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    const backoff =
      !e || eventTime - e.lastUpdate > 2 * this.maxMs ? this.initialMs : Math.min(e.backoff * 2, this.maxMs);
    this.entries.set(key, { backoff, lastUpdate: eventTime });
    return backoff;
  }

  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }
}
