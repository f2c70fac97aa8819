// A watch that survives its connection, as client-go's Reflector keeps one: list, then watch
// from the list's resourceVersion; when the connection drops (or the server ends it, as it does
// after its timeout), watch again from the last resourceVersion seen (a bookmark moves it on
// too); when the server answers 410 Gone (that version is compacted away), list again and hand
// on only what differs from what was already handed on (added, changed, gone). Every object
// change is handed on once: one the last list or watch already delivered is dropped.
//
// The client is an interface, so the kubeconfig target plugs in @kubernetes/client-node and the
// tests a recorded or scripted server; nothing here imports client-node.
import type { KubeObject } from '../sim/store/objects';
import type { WatchedChange } from './watchTraceMapper';

/** How a watch connection ended: normally (undefined), or with the Status code the server gave (410, 403, ...). */
export interface WatchFailure {
  /** The HTTP or Status code, when there was one; undefined for a dropped connection. */
  readonly code?: number;
  readonly message: string;
}

export interface WatchConnection {
  abort(): void;
}

export interface WatchClient {
  /** A list of the collection: its items and the list's resourceVersion. */
  list(path: string): Promise<{ readonly items: readonly KubeObject[]; readonly resourceVersion: string }>;
  /**
   * Watches the collection from `resourceVersion` with bookmarks: `onEvent` for each event
   * (ADDED, MODIFIED, DELETED, BOOKMARK, or ERROR with a Status), `onClose` once when it ends.
   */
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (type: string, object: unknown) => void,
    onClose: (failure: WatchFailure | undefined) => void,
  ): WatchConnection;
}

export interface WatchTimers {
  now(): number;
  setTimer(delayMs: number, run: () => void): () => void;
}

export interface ResumableWatchOptions {
  readonly client: WatchClient;
  /** The collection's path: `/api/v1/namespaces/default/pods`. */
  readonly path: string;
  /** The kind and apiVersion of its objects (list items come without them). */
  readonly kind: string;
  readonly apiVersion: string;
  readonly timers: WatchTimers;
  readonly onChange: (change: WatchedChange) => void;
  /** A failure resuming cannot mend (401, 403, 404): the watch stops. */
  readonly onFatal: (message: string) => void;
}

/** Codes that another try will not change. */
const fatalCodes = new Set([400, 401, 403, 404, 405]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether resourceVersion `a` is known to be no newer than `b` (they are opaque unless both are integers). */
function notNewer(a: string, b: string): boolean {
  if (a === b) return true;
  return /^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) <= BigInt(b);
}

export class ResumableWatch {
  /** The objects handed on, by uid, as last handed on. */
  private readonly known = new Map<string, KubeObject>();
  private lastVersion = '';
  private connection: WatchConnection | undefined;
  private cancelRetry: (() => void) | undefined;
  private stopped = false;
  private failures = 0;
  /** How many times it listed, and watched again after a drop: for tests and diagnostics. */
  lists = 0;
  resumes = 0;

  constructor(private readonly options: ResumableWatchOptions) {}

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.connection?.abort();
    this.connection = undefined;
  }

  /** The resourceVersion a resumed watch starts from. */
  get resourceVersion(): string {
    return this.lastVersion;
  }

  private withKind(object: KubeObject): KubeObject {
    const { kind, apiVersion } = this.options;
    return object.kind === kind && object.apiVersion === apiVersion ? object : { ...object, kind, apiVersion };
  }

  private hand(type: WatchedChange['type'], object: KubeObject): void {
    this.options.onChange({ type, object, receivedMs: this.options.timers.now() });
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    this.lists++;
    let listed: Awaited<ReturnType<WatchClient['list']>>;
    try {
      listed = await this.options.client.list(this.options.path);
    } catch (error) {
      const failure = failureOf(error);
      if (failure.code !== undefined && fatalCodes.has(failure.code)) return this.fatal(failure);
      return this.retry(() => void this.relist());
    }
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const raw of listed.items) {
      const object = this.withKind(raw);
      const uid = object.metadata.uid;
      if (uid === undefined) continue;
      seen.add(uid);
      const before = this.known.get(uid);
      if (before && before.metadata.resourceVersion === object.metadata.resourceVersion) continue;
      this.known.set(uid, object);
      this.hand(before ? 'MODIFIED' : 'ADDED', object);
    }
    for (const [uid, object] of [...this.known]) {
      if (seen.has(uid)) continue;
      this.known.delete(uid);
      this.hand('DELETED', object);
    }
    this.lastVersion = listed.resourceVersion;
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.connection = this.options.client.watch(
      this.options.path,
      this.lastVersion,
      (type, object) => this.onEvent(type, object),
      (failure) => this.onClose(failure),
    );
  }

  private onEvent(type: string, raw: unknown): void {
    if (this.stopped || !isRecord(raw)) return;
    this.failures = 0;
    if (type === 'ERROR') {
      // The Status of a watch that cannot go on; 410 Gone is answered by listing again.
      const code = typeof raw.code === 'number' ? raw.code : undefined;
      const message = typeof raw.message === 'string' ? raw.message : JSON.stringify(raw);
      this.connection?.abort();
      this.connection = undefined;
      this.onClose({ code, message });
      return;
    }
    const object = raw as unknown as KubeObject;
    const version = object.metadata?.resourceVersion;
    if (type === 'BOOKMARK') {
      if (version) this.lastVersion = version;
      return;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
    const uid = object.metadata?.uid;
    if (uid === undefined || version === undefined) return;
    const before = this.known.get(uid);
    if (type === 'DELETED') {
      if (!before) return;
      this.known.delete(uid);
    } else {
      if (before?.metadata.resourceVersion !== undefined && notNewer(version, before.metadata.resourceVersion)) return;
      this.known.set(uid, this.withKind(object));
    }
    this.lastVersion = version;
    this.hand(type === 'ADDED' && before ? 'MODIFIED' : type, this.withKind(object));
  }

  private onClose(failure: WatchFailure | undefined): void {
    if (this.stopped) return;
    this.connection = undefined;
    if (failure?.code === 410) return void this.relist();
    if (failure?.code !== undefined && fatalCodes.has(failure.code)) return this.fatal(failure);
    this.resumes++;
    // The server ends a watch after its timeout: resume at once; after a failure, back off.
    if (failure === undefined) this.connect();
    else this.retry(() => this.connect());
  }

  /** Tries again after 0.5 s doubling to 30 s, as client-go's reflector backs off. */
  private retry(run: () => void): void {
    const delay = Math.min(30_000, 500 * 2 ** this.failures++);
    this.cancelRetry = this.options.timers.setTimer(delay, () => {
      this.cancelRetry = undefined;
      if (!this.stopped) run();
    });
  }

  private fatal(failure: WatchFailure): void {
    this.stop();
    this.options.onFatal(
      `watching ${this.options.path}: the server answered ${failure.code}: ${failure.message}; ` +
        'the trace stopped following it',
    );
  }
}

/** The code and message of an error a client threw (client-node's ApiException has `code` and `body`). */
export function failureOf(error: unknown): WatchFailure {
  if (isRecord(error) || error instanceof Error) {
    const e = error as { code?: unknown; statusCode?: unknown; message?: unknown };
    const code = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
    return { code, message: typeof e.message === 'string' ? e.message : String(error) };
  }
  return { message: String(error) };
}
