// Names, uids and timestamps as the apiserver makes them, drawn from seeded randomness.
import { flat } from '../../base/flatString';
import { memoize } from '../../base/memo';
import type { SeededRandom } from '../../base/random';
import type { VirtualMs } from '../../base/time';

/**
 * The alphabet of generated names: consonants and digits without vowels or look-alikes,
 * so generated names never spell words (apimachinery util/rand).
 */
export const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** The fixed instant virtual time 0 is rendered as, so timestamps are reproducible. */
export const epochMs = Date.UTC(2026, 0, 1, 0, 0, 0);

/** Rendered seconds, kept: status writes format the same few instants (start times) again and again. */
const secondText = memoize(
  (second: number): string => new Date(epochMs + second * 1000).toISOString().replace('.000Z', 'Z'),
  65536,
);

/** metav1.Time renders whole seconds in RFC 3339. */
export function rfc3339(time: VirtualMs | number): string {
  return secondText(Math.floor(time / 1000));
}

/**
 * A timestamp the simulator wrote (rfc3339), back in virtual milliseconds (kept:
 * controllers read the same few, a condition's transition time, on every sync).
 */
export const virtualMsOf = memoize((timestamp: string): number => Date.parse(timestamp) - epochMs, 65536);

/** metav1.MicroTime (events.k8s.io eventTime) keeps microseconds. */
export function rfc3339Micro(time: VirtualMs | number): string {
  const ms = Math.floor(time);
  // The whole-second part is shared with rfc3339's cache; only the fraction is formatted here.
  return `${rfc3339(ms).slice(0, -1)}.${String(ms % 1000).padStart(3, '0')}000Z`;
}

const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const hexDigit = '0123456789abcdef';

/** A version-4-shaped uuid from the seeded stream. */
export function uuidFrom(random: SeededRandom): string {
  // Four 32-bit draws make the 128 bits; the version and variant nibbles are then fixed.
  const w0 = (random.next() * 4294967296) >>> 0;
  const w1 = (random.next() * 4294967296) >>> 0;
  const w2 = (random.next() * 4294967296) >>> 0;
  const w3 = (random.next() * 4294967296) >>> 0;
  return flat(
    hexByte[w0 >>> 24] +
      hexByte[(w0 >>> 16) & 0xff] +
      hexByte[(w0 >>> 8) & 0xff] +
      hexByte[w0 & 0xff] +
      '-' +
      hexByte[w1 >>> 24] +
      hexByte[(w1 >>> 16) & 0xff] +
      '-4' +
      hexDigit[(w1 >>> 8) & 0xf] +
      hexByte[w1 & 0xff] +
      '-' +
      '89ab'[(w2 >>> 28) & 3] +
      hexDigit[(w2 >>> 24) & 0xf] +
      hexByte[(w2 >>> 16) & 0xff] +
      '-' +
      hexByte[(w2 >>> 8) & 0xff] +
      hexByte[w2 & 0xff] +
      hexByte[w3 >>> 24] +
      hexByte[(w3 >>> 16) & 0xff] +
      hexByte[(w3 >>> 8) & 0xff] +
      hexByte[w3 & 0xff],
  );
}

/**
 * generateName as the apiserver applies it: the prefix cut to 58 characters
 * (maxGeneratedNameLength = 63 - 5) and 5 random characters appended.
 */
export function generateName(prefix: string, random: SeededRandom): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  return flat(base + random.chars(5, nameAlphabet));
}

/**
 * The pod-template-hash: FNV-32a over the template, printed as a decimal uint32 and each
 * digit byte mapped through the name alphabet (controller.ComputeHash + rand.SafeEncodeString).
 * Upstream hashes the Go struct dump; podtrace hashes canonical JSON, so the value differs
 * but the form (9–10 characters from the alphabet) and its stability are the same.
 */
const hashCache = new WeakMap<object, string>();

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const cacheable = typeof template === 'object' && template !== null && collisionCount === 0;
  const cached = cacheable ? hashCache.get(template) : undefined;
  if (cached) return cached;
  const result = computeTemplateHash(template, collisionCount);
  if (cacheable) hashCache.set(template, result);
  return result;
}

function computeTemplateHash(template: unknown, collisionCount: number): string {
  let h = 0x811c9dc5;
  const text = canonicalJson(template) + (collisionCount ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const digits = String(h >>> 0);
  let out = '';
  for (let i = 0; i < digits.length; i++) out += nameAlphabet[digits.charCodeAt(i) % nameAlphabet.length];
  return out;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>).sort();
  const record = value as Record<string, unknown>;
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
