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

let lastSecond = Number.NaN;
let lastText = '';

/** metav1.Time renders whole seconds in RFC 3339. */
export function rfc3339(time: VirtualMs | number): string {
  const second = Math.floor(time / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(epochMs + second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

/** metav1.MicroTime (events.k8s.io eventTime) keeps microseconds. */
export function rfc3339Micro(time: VirtualMs | number): string {
  const ms = Math.floor(time);
  // The whole-second part is shared with rfc3339's cache; only the fraction is formatted here.
  return `${rfc3339(ms).slice(0, -1)}.${String(ms % 1000).padStart(3, '0')}000Z`;
}

/** A version-4-shaped uuid from the seeded stream. */
export function uuidFrom(random: SeededRandom): string {
  // Four 32-bit draws make the 128 bits; the version and variant nibbles are then fixed.
  const word = () => ((random.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  const h = word() + word() + word() + word();
  const variant = '89ab'[parseInt(h[16], 16) & 3];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
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
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
