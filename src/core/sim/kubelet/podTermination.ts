// Graceful termination (kubelet killPod): every container gets `Killing` "Stopping
// container <name>", its preStop hook, SIGTERM and, when the grace period runs out, SIGKILL
// (killContainer, in parallel); sidecars (restartable init containers) only once the others
// have exited, the last one first; then the sandbox is stopped (CNI DEL), the terminal
// status is written and the kubelet deletes the pod with grace 0 and a uid precondition.
import { rfc3339 } from '../store/naming';
import type { PodWorkerView } from './podWorkerView';

/**
 * Stops the running sidecars (restartable init containers) one after another, the last one in
 * the spec first, within what is left of `graceMs`, then runs `then` (KEP-753: sidecars go
 * after the regular containers, in reverse order).
 */
export function stopSidecars(w: PodWorkerView, graceMs: number, then: () => void): void {
  const host = w.host;
  const engine = host.ctx.engine;
  const started = engine.now();
  const sidecars = w.initContainers.filter((c) => c.restartable).reverse();
  const next = (i: number): void => {
    if (i >= sidecars.length || host.down) return then();
    const c = sidecars[i];
    if (c.state !== 'running') {
      for (const t of c.timers) engine.cancel(t);
      c.timers = [];
      return next(i + 1);
    }
    w.runtime.stopProbes(c);
    w.cause = host.record(w.pod, 'Normal', 'Killing', `Stopping container ${c.name}`, {
      fieldPath: c.fieldPath,
      causes: w.causes(),
    });
    w.runtime.kill(c, Math.max(0, graceMs - (engine.now() - started)), () => next(i + 1));
  };
  next(0);
}

export function terminatePod(w: PodWorkerView): void {
  w.terminating = true;
  const host = w.host;
  if (host.down) return;
  const engine = host.ctx.engine;
  const graceMs = (w.pod.metadata.deletionGracePeriodSeconds ?? w.pod.spec!.terminationGracePeriodSeconds ?? 30) * 1000;
  const started = engine.now();
  const all = [...w.containers, ...w.initContainers];
  for (const c of all) if (!c.restartable) w.runtime.stopProbes(c);
  let pending = 0;
  const finish = () => {
    if (--pending > 0) return;
    // The regular containers are gone: the sidecars follow, then the sandbox.
    stopSidecars(w, Math.max(0, graceMs - (engine.now() - started)), () =>
      w.stopSandbox(() => {
        w.finished = true;
        w.setCondition('Ready', false);
        w.setCondition('ContainersReady', false);
        w.cause = host.note(
          w.pod,
          'kubelet',
          'Terminated',
          `pod terminated after ${((engine.now() - started) / 1000).toFixed(3)}s of ${graceMs / 1000}s grace`,
          { causes: w.causes(), duration: engine.now() - started },
        );
        w.patchStatus(() => {
          host.ctx.api.delete(
            'pods',
            w.pod.metadata.namespace,
            w.pod.metadata.name,
            host.user,
            { gracePeriodSeconds: 0, uid: w.uid },
            { traceSteps: false, causes: w.causes() },
          );
          host.onWorkerDone(w.uid);
        });
      }),
    );
  };
  pending++;
  for (const c of all) {
    if (c.restartable) continue;
    if (c.state !== 'running') {
      for (const t of c.timers) engine.cancel(t);
      c.timers = [];
      if (c.state === 'waiting' && !c.isInit) {
        c.state = 'terminated';
        c.exitCode = 137;
        c.termReason = 'ContainerStatusUnknown';
        c.finishedAt = engine.now();
        c.startedAt ??= engine.now();
      }
      continue;
    }
    pending++;
    w.cause = host.record(w.pod, 'Normal', 'Killing', `Stopping container ${c.name}`, {
      fieldPath: c.fieldPath,
      causes: w.causes(),
    });
    w.runtime.kill(c, graceMs, finish);
  }
  w.markDirty();
  finish();
}

export { rfc3339 };
