// Names, uids and timestamps as the apiserver makes them, drawn from seeded randomness.
import type { SeededRandom } from '../../base/random';
import type { VirtualMs } from '../../base/time';

/**
 * The alphabet of generated names: consonants and digits without vowels or look-alikes,
 * so generated names never spell words (apimachinery util/rand).
 */
export const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** The fixed instant virtual time 0 is rendered as, so timestamps are reproducible. */
export const epochMs = Date.UTC(2026, 0, 1, 0, 0, 0);

/** metav1.Time renders whole seconds in RFC 3339. */
export function rfc3339(time: VirtualMs | number): string {
  return new Date(epochMs + Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime (events.k8s.io eventTime) keeps microseconds. */
export function rfc3339Micro(time: VirtualMs | number): string {
  return new Date(epochMs + Math.floor(time)).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A version-4-shaped uuid from the seeded stream. */
export function uuidFrom(random: SeededRandom): string {
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += ((random.next() * 16) | 0).toString(16);
    return s;
  };
  const variant = '89ab'[(random.next() * 4) | 0];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

/**
 * generateName as the apiserver applies it: the prefix cut to 58 characters
 * (maxGeneratedNameLength = 63 - 5) and 5 random characters appended.
 */
export function generateName(prefix: string, random: SeededRandom): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  return base + random.chars(5, nameAlphabet);
}

/**
 * The pod-template-hash: FNV-32a over the template, printed as a decimal uint32 and each
 * digit byte mapped through the name alphabet (controller.ComputeHash + rand.SafeEncodeString).
 * Upstream hashes the Go struct dump; podtrace hashes canonical JSON, so the value differs
 * but the form (9–10 characters from the alphabet) and its stability are the same.
 */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
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
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
