// Chrome trace event JSON (opens in Perfetto and chrome://tracing): one process for the
// control plane and one per node, one thread per lane; spans are complete events ("X")
// with microsecond timestamps, instants are "i" events; causes become flow arrows.
import { lanes, type TraceEvent } from './model/traceEvent';

declare const microsecondsBrand: unique symbol;
/** Chrome trace timestamps are microseconds; a brand keeps them apart from virtual ms. */
type Micros = number & { readonly [microsecondsBrand]: true };
const micros = (ms: number): Micros => Math.round(ms * 1000) as Micros;

export function* chromeTraceChunks(events: readonly TraceEvent[]): Generator<string> {
  const pids = new Map<string, number>([['control-plane', 1]]);
  const pidOf = (node: string | null) => {
    const key = node ?? 'control-plane';
    let pid = pids.get(key);
    if (pid === undefined) pids.set(key, (pid = pids.size + 1));
    return pid;
  };
  yield '{"displayTimeUnit":"ms","traceEvents":[\n';
  let first = true;
  const parts: string[] = [];
  for (const e of events) {
    const pid = pidOf(e.node);
    const tid = lanes.indexOf(e.lane) + 1;
    const name = `${e.reason} ${e.object.kind === 'Pod' ? e.object.name : `${e.object.kind}/${e.object.name}`}`;
    const args = JSON.stringify({
      id: e.id,
      message: e.message,
      severity: e.severity,
      object: e.object,
      causes: e.causes,
    });
    if (e.duration !== undefined && e.duration > 0) {
      parts.push(
        `{"name":${JSON.stringify(name)},"cat":"${e.lane}","ph":"X","ts":${micros(e.time - e.duration)},` +
          `"dur":${micros(e.duration)},"pid":${pid},"tid":${tid},"args":${args}}`,
      );
    } else {
      parts.push(
        `{"name":${JSON.stringify(name)},"cat":"${e.lane}","ph":"i","s":"t",` +
          `"ts":${micros(e.time)},"pid":${pid},"tid":${tid},"args":${args}}`,
      );
    }
    if (parts.length >= 2000) {
      yield (first ? '' : ',\n') + parts.join(',\n');
      first = false;
      parts.length = 0;
    }
  }
  for (const [name, pid] of pids) {
    parts.push(`{"name":"process_name","ph":"M","pid":${pid},"args":{"name":${JSON.stringify(name)}}}`);
    lanes.forEach((lane, i) =>
      parts.push(`{"name":"thread_name","ph":"M","pid":${pid},"tid":${i + 1},"args":{"name":"${lane}"}}`),
    );
  }
  yield (first ? '' : ',\n') + parts.join(',\n') + '\n]}\n';
}
