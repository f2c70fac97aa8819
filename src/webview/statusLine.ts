// The status line under the timeline (also the canvas's accessible description) and the
// canvas's accessible name: what the trace holds and where it stands.
import type { TraceMeta } from '../protocol/messages';
import { formatTime } from './timeFormat';
import type { TraceStore } from './traceStore';

export interface TraceStanding {
  readonly live: boolean;
  /** The host's closing line once the trace is complete; empty before. */
  readonly summary: string;
}

export function statusText(store: TraceStore, standing: TraceStanding): string {
  let ready = 0;
  for (const pod of store.pods.values()) if (pod.phases.ready !== null) ready++;
  const warnings = `${store.warningCount} warning${store.warningCount === 1 ? '' : 's'}`;
  const counts = `${store.count} events · ${store.pods.size} pods (${ready} ready) · ${warnings}`;
  if (standing.live) return `${counts} · live, clock at ${formatTime(store.clockMs)}`;
  return standing.summary ? `${standing.summary} · ${warnings}` : counts;
}

export function canvasLabel(title: string, events: number, rows: number): string {
  return (
    `${title}: ${events} events in ${rows} rows. Arrow keys move between events and rows, Enter reveals the YAML, ` +
    'W and S zoom, A and D pan, F fits, C shows a pod’s critical path, slash filters.'
  );
}

/** The line beside the title: what the trace ran against. */
export function metaLine(meta: TraceMeta): string {
  const parts = [meta.target, `Kubernetes ${meta.kubernetesVersion}`];
  if (meta.nodes !== null) parts.push(`${meta.nodes} nodes`);
  if (meta.seed !== null) parts.push(`seed ${meta.seed}`);
  if (meta.profile) parts.push(`profile ${meta.profile}`);
  return parts.join(' · ');
}
