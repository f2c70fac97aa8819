// pods/log: the simulator runs no image, so a container's log is what its application model
// (sim/kubelet/appModel.ts) does, as lines at the virtual times it does them: it starts, it
// listens on its ports once its startup time has passed, and it shuts down on SIGTERM or exits.
// The times come from the container's status (startedAt, finishedAt) as the kubelet wrote it.
import type { Container } from '../base/apiObjects';
import { appBehaviour } from '../sim/kubelet/appModel';
import type { Pod } from '../sim/store/kinds';
import { virtualMsOf } from '../sim/store/naming';
import { badRequest } from './status';
import type { WallTime } from './wallTime';

export interface LogLine {
  /** Virtual milliseconds. */
  readonly time: number;
  readonly text: string;
}

/** The container a log request names, or the pod's only one; 400 in the apiserver's words otherwise. */
export function logContainer(pod: Pod, requested: string | null): { container: Container; init: boolean } {
  const regular = pod.spec?.containers ?? [];
  const init = pod.spec?.initContainers ?? [];
  const name = pod.metadata.name;
  if (!requested) {
    if (regular.length === 1) return { container: regular[0], init: false };
    const names = regular.map((c) => c.name).join(' ');
    const initNames = init.map((c) => c.name).join(' ');
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${names}]` +
        (initNames ? ` or one of the init containers: [${initNames}]` : ''),
    );
  }
  const found = regular.find((c) => c.name === requested);
  if (found) return { container: found, init: false };
  const foundInit = init.find((c) => c.name === requested);
  if (foundInit) return { container: foundInit, init: true };
  throw badRequest(`container ${requested} is not valid for pod ${name}`);
}

/** The lines `container` of `pod` has written by virtual time `now`, oldest first. */
export function containerLogLines(pod: Pod, container: Container, init: boolean, now: number): LogLine[] {
  const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  const status = statuses?.find((s) => s.name === container.name);
  const state = status?.state;
  const started = state?.running?.startedAt ?? state?.terminated?.startedAt;
  if (!status || !started) {
    const reason = state?.waiting?.reason ?? 'ContainerCreating';
    throw badRequest(`container "${container.name}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
  }
  const role = init ? (container.restartPolicy === 'Always' ? 'sidecar' : 'init') : 'regular';
  const behaviour = appBehaviour(pod, container, role);
  const start = virtualMsOf(String(started));
  const lines: LogLine[] = [{ time: start, text: `starting ${container.image ?? container.name}` }];
  const ready = start + (behaviour.startupMs ?? 0);
  if (behaviour.listenPorts.length > 0)
    for (const port of behaviour.listenPorts) lines.push({ time: ready, text: `listening on :${port}` });
  else lines.push({ time: ready, text: 'started' });
  if (pod.metadata.deletionTimestamp)
    lines.push({
      time: virtualMsOf(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000,
      text: 'received SIGTERM, shutting down',
    });
  const finished = state?.terminated?.finishedAt;
  if (finished)
    lines.push({ time: virtualMsOf(String(finished)), text: `exited with code ${state?.terminated?.exitCode ?? 0}` });
  return lines.filter((l) => l.time <= now).sort((a, b) => a.time - b.time);
}

/** A line as kubelet's log endpoint sends it, with an RFC 3339 timestamp first when asked. */
export function formatLogLine(line: LogLine, timestamps: boolean, time: WallTime): string {
  if (!timestamps) return `${line.text}\n`;
  const iso = new Date(time.wallOf(line.time)).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  return `${iso} ${line.text}\n`;
}
