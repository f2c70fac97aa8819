// The Pod row of `kubectl get pods`, after printPod in pkg/printers/internalversion/printers.go:
// READY counts ready containers (sidecars included), STATUS is the first reason that explains the
// pod (`Init:0/1`, `Init:CrashLoopBackOff`, `ErrImagePull`, `CrashLoopBackOff`, `Completed`,
// `Terminating`, ...), RESTARTS adds `(5m ago)` after the last restart.
import { ageSince } from './age';
import type { CellValue, PrintContext, Printer } from './printerTypes';
import { ageColumn, at, column, int, list, nameColumn, text } from './printerTypes';

interface ContainerStatusView {
  readonly name: string;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
  readonly waitingReason?: string;
  readonly terminated?: { readonly reason: string; readonly exitCode: number; readonly signal: number };
  readonly running: boolean;
  readonly lastFinishedAt?: string;
}

function statusView(status: unknown): ContainerStatusView {
  const terminated = at(status, 'state', 'terminated');
  return {
    name: text(at(status, 'name')),
    ready: at(status, 'ready') === true,
    started: at(status, 'started') === true,
    restartCount: int(at(status, 'restartCount')),
    waitingReason: at(status, 'state', 'waiting') ? text(at(status, 'state', 'waiting', 'reason')) : undefined,
    terminated: terminated
      ? {
          reason: text(at(terminated, 'reason')),
          exitCode: int(at(terminated, 'exitCode')),
          signal: int(at(terminated, 'signal')),
        }
      : undefined,
    running: at(status, 'state', 'running') !== undefined,
    lastFinishedAt: text(at(status, 'lastState', 'terminated', 'finishedAt')) || undefined,
  };
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function hasCondition(pod: unknown, type: string, status = 'True'): boolean {
  return list(at(pod, 'status', 'conditions')).some((c) => at(c, 'type') === type && at(c, 'status') === status);
}

/** The READY, STATUS and RESTARTS cells. */
export function podStatusCells(pod: unknown, context: PrintContext): [string, string, string] {
  const initContainers = list(at(pod, 'spec', 'initContainers'));
  const sidecars = new Set(
    initContainers.filter((c) => at(c, 'restartPolicy') === 'Always').map((c) => text(at(c, 'name'))),
  );
  const total = list(at(pod, 'spec', 'containers')).length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: string | undefined;
  let reason = text(at(pod, 'status', 'reason'), text(at(pod, 'status', 'phase')));
  if (
    list(at(pod, 'status', 'conditions')).some(
      (c) => at(c, 'type') === 'PodScheduled' && at(c, 'reason') === 'SchedulingGated',
    )
  ) {
    reason = 'SchedulingGated';
  }
  let initializing = false;
  const initStatuses = list(at(pod, 'status', 'initContainerStatuses')).map(statusView);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount;
    lastRestart = later(lastRestart, c.lastFinishedAt);
    if (sidecars.has(c.name)) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = later(lastSidecarRestart, c.lastFinishedAt);
    }
    if (c.terminated && c.terminated.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (c.terminated) {
      if (c.terminated.reason) reason = `Init:${c.terminated.reason}`;
      else if (c.terminated.signal !== 0) reason = `Init:Signal:${c.terminated.signal}`;
      else reason = `Init:ExitCode:${c.terminated.exitCode}`;
    } else if (c.waitingReason && c.waitingReason !== 'PodInitializing') {
      reason = `Init:${c.waitingReason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(at(pod, 'status', 'containerStatuses')).map(statusView);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount;
      lastRestart = later(lastRestart, c.lastFinishedAt);
      if (c.waitingReason) reason = c.waitingReason;
      else if (c.terminated?.reason) reason = c.terminated.reason;
      else if (c.terminated)
        reason = c.terminated.signal !== 0 ? `Signal:${c.terminated.signal}` : `ExitCode:${c.terminated.exitCode}`;
      else if (c.ready && c.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but which still runs others reads Running again.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }
  const phase = text(at(pod, 'status', 'phase'));
  const deleting = at(pod, 'metadata', 'deletionTimestamp') !== undefined;
  if (deleting && at(pod, 'status', 'reason') === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const restartText =
    restarts !== 0 && lastRestart ? `${restarts} (${ageSince(lastRestart, context.nowMs)} ago)` : String(restarts);
  return [`${ready}/${total}`, reason, restartText];
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted, and when last.'),
    ageColumn,
    column('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', { wide: true }),
    column('Node', 'string', 'NodeName is a request to schedule this pod onto a specific node.', { wide: true }),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', {
      wide: true,
    }),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', {
      wide: true,
    }),
  ],
  cells(pod, context): CellValue[] {
    const [ready, status, restarts] = podStatusCells(pod, context);
    const ips = list(at(pod, 'status', 'podIPs'));
    const ip = text(ips.length > 0 ? at(ips[0], 'ip') : at(pod, 'status', 'podIP'), '<none>');
    const gates = list(at(pod, 'spec', 'readinessGates'));
    let gateText = '<none>';
    if (gates.length > 0) {
      const passed = gates.filter((g) => hasCondition(pod, text(at(g, 'conditionType')))).length;
      gateText = `${passed}/${gates.length}`;
    }
    return [
      text(at(pod, 'metadata', 'name')),
      ready,
      status,
      restarts,
      ageSince(at(pod, 'metadata', 'creationTimestamp'), context.nowMs),
      ip,
      text(at(pod, 'spec', 'nodeName'), '<none>'),
      text(at(pod, 'status', 'nominatedNodeName'), '<none>'),
      gateText,
    ];
  },
};
