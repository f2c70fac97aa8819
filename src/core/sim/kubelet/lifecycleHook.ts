// Lifecycle hooks as the kubelet's handler runner runs them (pkg/kubelet/lifecycle
// handlers.go) against the application model: how long one takes, and whether it fails.
import type { LifecycleHandler } from '../../base/apiObjects';
import { resolvePort } from './prober';
import type { ContainerState } from './podStatus';

/** How long a lifecycle hook runs: `sleep` actions and `sleep N` commands take N seconds. */
export function hookDurationMs(hook: LifecycleHandler, quick: number): number {
  if (hook.sleep?.seconds !== undefined) return Number(hook.sleep.seconds) * 1000;
  const command: readonly string[] = hook.exec?.command ?? [];
  const text = command.join(' ');
  const match = /(?:^|\s|;|&&)sleep\s+(\d+(?:\.\d+)?)/.exec(text);
  if (match) return Number(match[1]) * 1000;
  return quick;
}

/**
 * Whether running the hook now fails. An HTTP hook goes to the pod's IP (unless it names
 * another host) and fails when the application does not listen on its port, as a request
 * would be refused; a postStart hook runs right after the container starts, usually before
 * the application listens. A tcpSocket hook always fails: LifecycleHandler keeps the field
 * for compatibility only, and the handler runner has no case for it ("invalid handler").
 * Exec and sleep hooks succeed: the simulator cannot run the command.
 */
export function hookFails(hook: LifecycleHandler, c: ContainerState): boolean {
  if (hook.httpGet) {
    if (hook.httpGet.host) return false;
    const port = resolvePort(hook.httpGet.port, c.spec);
    return !(c.listening && port !== undefined && c.behaviour.listenPorts.includes(port));
  }
  return hook.tcpSocket !== undefined && hook.exec === undefined && hook.sleep === undefined;
}
