// framework.CycleState: what the plugins of one scheduling cycle keep for the later extension
// points of the same cycle (PreFilter's findings for Filter, PreScore's for Score), by typed
// key. It lives for one cycle, so nothing of one pod's cycle leaks into the next. The plugins
// PreFilter and PreScore told to skip, which upstream keeps here too, the runtime keeps as it
// runs the cycle (frameworkRuntime.ts).
/** A key of CycleState; `T` is the type of what is stored under it. */
export class StateKey<T> {
  /** Never set: it only carries `T` for the compiler. */
  declare readonly valueType: T;

  constructor(readonly name: string) {}
}

export class CycleState {
  private readonly data = new Map<StateKey<unknown>, unknown>();

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key, value);
  }

  /** The value under `key`; a plugin that reads what its own earlier extension point wrote. */
  read<T>(key: StateKey<T>): T {
    const value = this.data.get(key);
    if (value === undefined && !this.data.has(key))
      throw new Error(`CycleState: expected ${key.name} written by an earlier extension point, found nothing`);
    return value as T;
  }

  /** The value under `key`, if any was written. */
  find<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}
