// Validation of a trace chunk received from the other side of the host ↔ webview boundary:
// its shape first (`chunkShapeProblem`), then whether its indexes fit the tables so far
// (`chunkProblem`).
import {
  eventColumns,
  lanes,
  podPhases,
  sizesAfter,
  chunkLength,
  type ChunkSource,
  type PodRow,
  type TraceChunk,
  type TraceTableSizes,
  type WindowRow,
} from './traceColumns';

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function allInts(list: readonly unknown[] | Int32Array, min: number, max: number): boolean {
  if (list instanceof Int32Array) {
    // Integers by construction (the panel sends its columns so): only the range is checked.
    for (let i = 0; i < list.length; i++) if (list[i] < min || list[i] > max) return false;
    return true;
  }
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return false;
  }
  return true;
}

/**
 * Why a chunk cannot be appended to tables of `sizes`, or undefined when it can: every
 * index it holds must point into the tables as they will be with it, and its causes must be
 * earlier events. Times need not be in order (a real cluster's events can arrive late); the
 * simulator's always are. The shape (`chunkShapeProblem`) is checked first.
 */
export function chunkProblem(chunk: TraceChunk, sizes: TraceTableSizes): string | undefined {
  if (chunk.firstId !== sizes.events)
    return `expected the chunk starting at event ${sizes.events}, got one starting at ${chunk.firstId}`;
  const after = sizesAfter(sizes, chunk);
  const n = chunkLength(chunk);
  const strings = after.strings - 1;
  if (!Number.isInteger(after.objects)) return `objects: expected four numbers per object, got ${chunk.objects.length}`;
  for (let i = 0; i < chunk.objects.length; i += 4) {
    const [kind, namespace, name, uid] = [
      chunk.objects[i],
      chunk.objects[i + 1],
      chunk.objects[i + 2],
      chunk.objects[i + 3],
    ];
    if (!(
      kind >= 0 &&
      kind <= strings &&
      namespace >= -1 &&
      namespace <= strings &&
      name >= 0 &&
      name <= strings &&
      uid >= -1 &&
      uid <= strings
    )) {
      return `objects[${i / 4}]: a string index outside the table of ${after.strings}`;
    }
  }
  if (chunk.owners.length !== chunk.objects.length / 4)
    return `owners: expected one per object added (${chunk.objects.length / 4}), got ${chunk.owners.length}`;
  for (let i = 0; i < chunk.owners.length; i++) {
    const owner = chunk.owners[i];
    if (!(isInt(owner) && owner >= -1 && owner < sizes.objects + i))
      return `owners[${i}]: expected -1 or an earlier object, got ${owner}`;
  }
  const ranges: readonly [string, number, number][] = [
    ['lane', 0, lanes.length - 1],
    ['node', -1, strings],
    ['object', 0, after.objects - 1],
    ['fieldPath', -1, strings],
    ['reason', 0, strings],
    ['message', 0, strings],
    ['flags', 0, 3],
    ['source', -1, after.sources - 1],
    ['causeCount', 0, Number.MAX_SAFE_INTEGER],
    ['duration', -1, Number.MAX_SAFE_INTEGER],
  ];
  for (const [column, min, max] of ranges) {
    if (!allInts(chunk[column as keyof TraceChunk] as readonly number[], min, max))
      return `${column}: an entry outside ${min}…${max}`;
  }
  for (let i = 0; i < n; i++) {
    const t = chunk.time[i];
    if (!(typeof t === 'number' && Number.isFinite(t) && t >= 0))
      return `time[${i}]: expected a finite time ≥ 0, got ${t}`;
  }
  let causes = 0;
  for (let i = 0; i < n; i++) causes += chunk.causeCount[i];
  if (causes !== chunk.causes.length)
    return `causes: the counts add up to ${causes}, the list holds ${chunk.causes.length}`;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const id = sizes.events + i;
    for (let k = 0; k < chunk.causeCount[i]; k++, c++) {
      const cause = chunk.causes[c];
      if (!(isInt(cause) && cause >= 0 && cause < id)) return `causes of event ${id}: ${cause} is not an earlier event`;
    }
  }
  if (!(Number.isFinite(chunk.clockMs) && chunk.clockMs >= 0))
    return `clockMs: expected a finite time ≥ 0, got ${chunk.clockMs}`;
  for (const w of chunk.windows)
    if (w.eventId !== null && w.eventId >= after.events)
      return `windows[${w.index}]: event ${w.eventId} is not in the trace`;
  for (const p of chunk.pods) {
    for (const phase of podPhases) {
      const id = p.phaseEvents[phase];
      if (id !== undefined && id >= after.events)
        return `pod ${p.namespace}/${p.name}: the event of phase ${phase}, ${id}, is not in the trace`;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNullableNumber = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isFinite(v));

function isSource(v: unknown): v is ChunkSource {
  return (
    isRecord(v) &&
    isString(v.file) &&
    isString(v.path) &&
    [v.line, v.column, v.endLine, v.endColumn].every((n) => isInt(n) && n >= 1)
  );
}

function isPodRow(v: unknown): v is PodRow {
  if (
    !isRecord(v) ||
    !isString(v.uid) ||
    !isString(v.namespace) ||
    !isString(v.name) ||
    !isNullableString(v.node) ||
    !isInt(v.restarts)
  )
    return false;
  const { phases, phaseEvents, heldBy } = v;
  if (!isRecord(phases) || !podPhases.every((p) => isNullableNumber(phases[p]))) return false;
  if (
    !isRecord(phaseEvents) ||
    !Object.entries(phaseEvents).every(
      ([k, id]) => (podPhases as readonly string[]).includes(k) && isInt(id) && id >= 0,
    )
  )
    return false;
  return (
    heldBy === null ||
    (isRecord(heldBy) && isString(heldBy.step) && isNullableNumber(heldBy.ms) && isNullableString(heldBy.detail))
  );
}

function isWindowRow(v: unknown): v is WindowRow {
  return (
    isRecord(v) &&
    isInt(v.index) &&
    v.index >= 0 &&
    [v.consumer, v.service, v.pod, v.podUid, v.ip, v.why].every(isString) &&
    typeof v.lane === 'string' &&
    (lanes as readonly string[]).includes(v.lane) &&
    isNullableString(v.node) &&
    typeof v.start === 'number' &&
    Number.isFinite(v.start) &&
    isNullableNumber(v.end) &&
    (v.eventId === null || (isInt(v.eventId) && v.eventId >= 0))
  );
}

function isNumberList(v: unknown): v is readonly number[] {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Why `value` is not a TraceChunk in shape, or undefined when it is one (the indexes are `chunkProblem`'s). */
export function chunkShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'expected an object';
  if (!isInt(value.firstId) || value.firstId < 0) return 'firstId: expected an integer ≥ 0';
  if (!Array.isArray(value.strings) || !value.strings.every(isString)) return 'strings: expected a list of strings';
  if (!isNumberList(value.objects)) return 'objects: expected a list of numbers';
  if (!isNumberList(value.owners)) return 'owners: expected a list of numbers';
  if (!Array.isArray(value.sources) || !value.sources.every(isSource)) return 'sources: expected a list of YAML ranges';
  const n = isNumberList(value.time) ? value.time.length : -1;
  if (n < 0) return 'time: expected a list of numbers';
  for (const column of eventColumns) {
    const list = value[column];
    if (!isNumberList(list) || list.length !== n) return `${column}: expected ${n} numbers, one per event`;
  }
  if (!isNumberList(value.causes)) return 'causes: expected a list of numbers';
  if (!Array.isArray(value.pods) || !value.pods.every(isPodRow)) return 'pods: expected a list of pod summaries';
  if (!Array.isArray(value.windows) || !value.windows.every(isWindowRow))
    return 'windows: expected a list of routing windows';
  if (typeof value.clockMs !== 'number') return 'clockMs: expected a number';
  return undefined;
}
