// The text timeline (`podtrace trace` in a terminal, Apply in the editor's output): one line
// per event with its relative time, lane and object, warnings highlighted; large runs are
// condensed to counts per lane and reason, the warnings (aggregated) and the slowest pods, so
// printing never dominates.
import { printableText } from '../base/printableText';
import type { RoutingWindow } from '../sim/consumers/routingLedger';
import type { PodSummary } from './podSummary';
import type { TraceEvent } from './model/traceEvent';
import type { SourceOf } from './traceJson';

const fullLimit = 400;

function seconds(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(3)}s`;
}

export interface TextOptions {
  readonly color: boolean;
  /** The YAML line a warning maps back to, shown after it. */
  readonly sourceOf?: SourceOf;
}

export function formatTimeline(
  events: readonly TraceEvent[],
  pods: readonly PodSummary[],
  windows: readonly RoutingWindow[],
  options: TextOptions,
): string {
  const yellow = (s: string) => (options.color ? `\x1b[33m${s}\x1b[0m` : s);
  const dim = (s: string) => (options.color ? `\x1b[2m${s}\x1b[0m` : s);
  const out: string[] = [];
  const line = (e: TraceEvent) => {
    const object = e.object.namespace
      ? `${e.object.kind} ${e.object.namespace}/${e.object.name}`
      : `${e.object.kind} ${e.object.name}`;
    // Names and messages come from manifest text: escaped before any color is added.
    const text = printableText(
      `+${(e.time / 1000).toFixed(3).padStart(9)}s  ${e.lane.padEnd(18)} ` +
        `${(e.node ?? '').padEnd(8)} ${object}  ${e.reason}: ${e.message}`,
    );
    if (e.severity !== 'Warning') return text;
    const source = options.sourceOf?.(e);
    return (
      yellow(`${text}  [Warning]`) +
      (source ? dim(printableText(`  ← ${source.file}:${source.line}:${source.column} ${source.path}`)) : '')
    );
  };
  if (events.length <= fullLimit) {
    out.push('Timeline');
    for (const e of events) out.push(line(e));
  } else {
    out.push(`Timeline (condensed: ${events.length} events; the full trace is in --json and --perfetto)`);
    // One pass over the events for both the counts and the warnings: a large trace's events
    // are read once.
    const byLane = new Map<string, Map<string, number>>();
    const warnings = new Map<string, { first: TraceEvent; n: number }>();
    for (const e of events) {
      let reasons = byLane.get(e.lane);
      if (!reasons) byLane.set(e.lane, (reasons = new Map()));
      reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
      if (e.severity !== 'Warning') continue;
      const key = `${e.lane} ${e.reason} ${e.message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\b\d+(\.\d+)?\b/g, '#')}`;
      const w = warnings.get(key);
      if (w) w.n++;
      else warnings.set(key, { first: e, n: 1 });
    }
    const counts = [...byLane].flatMap(([lane, reasons]) =>
      [...reasons].map(([reason, n]) => [`${lane.padEnd(18)} ${reason}`, n] as const),
    );
    for (const [key, n] of counts.sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      out.push(printableText(`  ${String(n).padStart(8)}  ${key}`));
    if (warnings.size > 0) out.push('Warnings (first occurrence, with count)');
    for (const { first, n } of [...warnings.values()].slice(0, 40))
      out.push(`${line(first)}${n > 1 ? dim(` (x${n})`) : ''}`);
  }
  if (windows.length > 0) {
    out.push('', 'Routing windows (a consumer still routed to a pod that no longer served)');
    for (const w of windows.slice(0, 40))
      out.push(
        yellow(
          printableText(
            `  ${w.consumer.padEnd(22)} ${w.service} → ${w.pod} (${w.ip}) after ${w.why}: ` +
              `${w.end === null ? 'still open at the end' : seconds(w.end - w.start)}`,
          ),
        ),
      );
    if (windows.length > 40) out.push(`  … and ${windows.length - 40} more`);
  }
  out.push('', 'Pods (seconds from the start)');
  out.push(
    `  ${'pod'.padEnd(44)} ${'node'.padEnd(9)} ${'sched'.padStart(8)} ` +
      `${'running'.padStart(8)} ${'ready'.padStart(8)} ${'routable'.padStart(9)}  held back by`,
  );
  const shown =
    pods.length <= 50
      ? pods
      : [...pods].sort((a, b) => (b.phases.ready ?? Infinity) - (a.phases.ready ?? Infinity)).slice(0, 20);
  if (shown !== pods) out.push(`  (the 20 slowest of ${pods.length} pods)`);
  for (const p of shown) {
    const held = printableText(
      p.heldBy
        ? `${p.heldBy.step}${p.heldBy.ms !== null ? ` (${seconds(p.heldBy.ms)})` : ' (never finished)'}` +
            `${p.heldBy.detail ? `: ${p.heldBy.detail}` : ''}`
        : '',
    );
    out.push(
      `  ${printableText(`${p.namespace}/${p.name}`).padEnd(44)} ${printableText(p.node ?? '—').padEnd(9)} ` +
        `${seconds(p.phases.scheduled).padStart(8)} ${seconds(p.phases.started).padStart(8)} ` +
        `${seconds(p.phases.ready).padStart(8)} ${seconds(p.phases.routable).padStart(9)}` +
        `  ${p.phases.ready === null || p.heldBy?.ms === null ? yellow(held) : held}`,
    );
  }
  return out.join('\n') + '\n';
}
