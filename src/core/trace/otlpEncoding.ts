// The pieces of OTLP's JSON encoding (the protobuf JSON mapping with OTLP's deviations, see
// opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"): trace and span ids
// as lowercase hex of 16 and 8 bytes, times as decimal strings of Unix nanoseconds (64-bit
// integers are strings in that mapping), enums as their numbers, attributes as
// `{key, value: {stringValue | intValue | boolValue}}`. Every span is written by hand, in one
// fixed key order, so that the same trace gives the same bytes.
import { memoize } from '../base/memo';

/** `SpanKind` in trace.proto: podtrace's spans are all work inside the cluster. */
export const spanKindInternal = 1;
/** `Status.StatusCode` in trace.proto. */
export const statusCodeError = 2;

/**
 * A 64-bit hash of `text` as 16 lowercase hex digits: two 32-bit multiply-xorshift lanes
 * (the cyrb53 construction, both lanes kept), mixed by `seed`. Not cryptographic: ids only
 * need to be the same for the same input and distinct within a trace (a collision among the
 * few thousand spans of one trace has odds far below one in a billion).
 */
export function hash64(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex32(h2) + hex32(h1);
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** An all-zero id is invalid in OTLP: the one input in 2^64 that hashes to it gets a 1 at the end. */
function nonZero(id: string): string {
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id;
}

/** A span id (8 bytes) from what identifies the span within its trace. */
export function spanIdOf(key: string): string {
  return nonZero(hash64(key));
}

/** A trace id (16 bytes) from what identifies the trace. */
export function traceIdOf(key: string): string {
  return nonZero(hash64(key, 0x9e3779b9) + hash64(key, 0x85ebca6b));
}

/**
 * Unix nanoseconds, as a decimal string, of a time in whole virtual milliseconds after the
 * epoch (itself whole milliseconds): the digits of the milliseconds and six zeros, exact where
 * a number of nanoseconds (about 10^18) would not be.
 */
export function unixNanos(epochMs: number, ms: number): string {
  const total = epochMs + ms;
  if (!Number.isSafeInteger(total) || total < 0)
    throw new Error(`OTLP time: expected whole milliseconds ≥ 0 from the Unix epoch, got ${epochMs} + ${ms}`);
  return total === 0 ? '0' : `${total}000000`;
}

export type AttributeValue = string | number | boolean;

const q = JSON.stringify;

/** Each key's opening text, made once: a trace repeats the same few keys hundreds of thousands of times. */
const keyOpening = memoize((key: string) => `{"key":${q(key)},"value":{`, 256);

/** One attribute (`KeyValue`); a number must be a whole number (`intValue`, a decimal string). */
export function attribute(key: string, value: AttributeValue): string {
  const open = keyOpening(key);
  if (typeof value === 'string') return `${open}"stringValue":${q(value)}}}`;
  if (typeof value === 'boolean') return `${open}"boolValue":${value}}}`;
  if (!Number.isSafeInteger(value)) throw new Error(`OTLP attribute ${key}: expected a whole number, got ${value}`);
  return `${open}"intValue":"${value}"}}`;
}

/** Attributes from pairs, skipping those whose value is undefined or null. */
export function attributes(pairs: readonly (readonly [string, AttributeValue | null | undefined])[]): string {
  const out: string[] = [];
  for (const [key, value] of pairs) if (value !== undefined && value !== null) out.push(attribute(key, value));
  return `[${out.join(',')}]`;
}

export interface SpanJson {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly startNanos: string;
  readonly endNanos: string;
  /** `attributes(…)`'s text. */
  readonly attributes: string;
  /** Spans this one follows from (a span link per cause). */
  readonly links?: readonly { readonly traceId: string; readonly spanId: string }[];
  /** An error's message; undefined leaves the status unset (the default, `STATUS_CODE_UNSET`). */
  readonly error?: string;
}

/** A `Span` as JSON, its keys in trace.proto's order. */
export function spanJson(s: SpanJson): string {
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
  if (s.parentSpanId) out += `,"parentSpanId":"${s.parentSpanId}"`;
  out += `,"name":${q(s.name)},"kind":${spanKindInternal}`;
  out += `,"startTimeUnixNano":"${s.startNanos}","endTimeUnixNano":"${s.endNanos}","attributes":${s.attributes}`;
  if (s.links && s.links.length > 0)
    out += `,"links":[${s.links.map((l) => `{"traceId":"${l.traceId}","spanId":"${l.spanId}"}`).join(',')}]`;
  if (s.error !== undefined) out += `,"status":{"message":${q(s.error)},"code":${statusCodeError}}`;
  return `${out}}`;
}

/**
 * JSON text that is one line in every reader's eyes: JSON.stringify leaves U+2028 and U+2029
 * raw (they are valid in JSON strings), but some line readers split on them.
 */
export function oneLine(json: string): string {
  return /[\u2028\u2029]/.test(json) ? json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : json;
}
