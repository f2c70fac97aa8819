// The extension host's wall clock for a simulator that runs in the host (the in-process
// target behind the simulator's Dry Run): timers on Node's event loop, a zero delay as
// setImmediate so that the editor's own work runs between the engine's slices.
import type { WallScheduler } from '../core/sim/engine/pacedRunner';

export const hostWall: WallScheduler = {
  now: () => performance.now(),
  setTimer: (delayMs, callback) => {
    if (delayMs <= 0) {
      const immediate = setImmediate(callback);
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
};
