// Resource quantities, exact to k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go):
// the one implementation the validator's schema and rules and the whole simulator use.
// ParseQuantity's scan, its three errors, its suffixes (decimal SI n…E, binary SI Ki…Ei,
// decimal exponents e/E with a signed integer), rounding up below nano, the cap of binary
// values at 2^63-1, comparison and String()'s canonical form, including the original text
// that a quantity parsed in canonical form keeps. A value is unscaled × 10^-scale with a
// BigInt and an integer scale, as inf.Dec holds it, so `1e2000000000` costs nothing to hold.
import { memoize } from './memo';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value is unscaled × 10^-scale; unscaled has no factor of 10 unless it is 0 (then scale is 0). */
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  /** The text as written, which String() returns when ParseQuantity found it canonical. */
  readonly text?: string;
}

export type QuantityParse =
  { readonly ok: true; readonly quantity: Quantity } | { readonly ok: false; readonly error: string };

/** ErrFormatWrong, ErrNumeric and ErrSuffix, the decoder's words for a quantity it cannot read. */
export const quantityFormatMessage =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantityNumericMessage = 'unable to parse numeric part of quantity';
export const quantitySuffixMessage = "unable to parse quantity's suffix";

/** The largest binary value (math.MaxInt64); a larger one is capped to it. */
export const maxInt64 = (1n << 63n) - 1n;

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const suffixLetters = 'eEinumkKMGTP';
/** maxInt64Factors: the decimal digits an int64 always holds. */
const maxInt64Factors = 18;
/** Nano: values are rounded up to this scale (10^-9). */
const nanoScale = 9;
/** Zero, as ParseQuantity("0") returns it. */
export const zeroQuantity: Quantity = Object.freeze({ unscaled: 0n, scale: 0, format: 'DecimalSI', text: '0' });

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Go's unicode.IsSpace: what strings.TrimSpace removes. */
const goSpace = new Set(
  '\t\n\v\f\r \u0085\u00a0\u1680' +
    '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
    '\u2028\u2029\u202f\u205f\u3000',
);

/** strings.TrimSpace (UnmarshalJSON trims a quantity before parsing it), in linear time whatever the input. */
function trimGoSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && goSpace.has(text[start])) start++;
  while (end > start && goSpace.has(text[end - 1])) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

interface Scanned {
  readonly positive: boolean;
  /** The number as written (sign, digits, point), what inf.Dec parses on the slow path. */
  readonly value: string;
  /** The whole digits without leading zeros ("0" when none), and the fraction digits. */
  readonly num: string;
  readonly denom: string;
  readonly suffix: string;
}

/**
 * parseQuantityString: sign, leading zeros, digits, an optional point and digits, suffix letters, a signed exponent.
 */
function scan(str: string): Scanned | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  // Only a sign and zeros: upstream returns zero here, with the sign but without the text.
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && suffixLetters.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (isDigit(str[pos])) pos++;
  return pos >= end ? { positive, value, num, denom, suffix: str.slice(suffixStart) } : undefined;
}

interface Suffix {
  readonly base: 10 | 2;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

/** quantitySuffixer.interpret: a table suffix, or e/E and an int64 that Go then truncates to int32. */
function interpret(suffix: string): Suffix | undefined {
  if (suffix in decimalSuffixes) return { base: 10, exponent: decimalSuffixes[suffix], format: 'DecimalSI' };
  if (suffix in binarySuffixes) return { base: 2, exponent: binarySuffixes[suffix], format: 'BinarySI' };
  if (suffix.length < 2 || (suffix[0] !== 'e' && suffix[0] !== 'E') || !/^[+-]?[0-9]+$/.test(suffix.slice(1)))
    return undefined;
  const parsed = BigInt(suffix.slice(1));
  if (parsed > maxInt64 || parsed < -maxInt64 - 1n) return undefined;
  return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
}

/** ParseQuantity on the text UnmarshalJSON hands it (a JSON number as its text, a string trimmed). */
function parseText(raw: string): QuantityParse {
  const str = trimGoSpace(raw);
  if (str.length === 0) return { ok: false, error: quantityFormatMessage };
  if (str === '0') return { ok: true, quantity: zeroQuantity };
  const scanned = scan(str);
  if (!scanned) return { ok: false, error: quantityFormatMessage };
  const { positive, value, num, denom, suffix: suffixText } = scanned;
  const suffix = interpret(suffixText);
  if (!suffix) return { ok: false, error: quantitySuffixMessage };
  const { base, exponent, format } = suffix;
  // ParseQuantity's fast path holds values of at most 18 digits in an int64; it keeps the text
  // when it is already canonical. The slow path parses `value` with inf.Dec, which needs a digit.
  let precision: number;
  if (base === 10) precision = maxInt64Factors - (num.length + denom.length);
  else precision = denom.length === 0 ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 : -1;
  const fastScale = (base === 10 ? exponent : 0) - denom.length;
  const fast = precision >= 0 && fastScale >= -nanoScale;
  if (!fast && !/[0-9]/.test(value)) return { ok: false, error: quantityNumericMessage };
  const shifted = num + denom;
  let text: string | undefined;
  if (fast) {
    const mantissa = BigInt(shifted);
    const canonical =
      base === 2 ? (mantissa & 7n) !== 0n : fastScale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
    if (canonical) text = str;
  }
  let quantity = fromDigits(shifted, denom.length, base, exponent, positive, format);
  if (text !== undefined) quantity = { ...quantity, text };
  return { ok: true, quantity: Object.freeze(quantity) };
}

/** The value of `digits` × 10^-fractionDigits × base^exponent, rounded up to nano, capped when binary. */
function fromDigits(
  digits: string,
  fractionDigits: number,
  base: 2 | 10,
  exponent: number,
  positive: boolean,
  format: QuantityFormat,
): Quantity {
  // Trailing zeros go into the scale, so that a long run of them is never multiplied out.
  let kept = digits.length;
  while (kept > 0 && digits[kept - 1] === '0') kept--;
  const trimmed = digits.slice(0, kept);
  if (trimmed.length === 0) return { unscaled: 0n, scale: 0, format };
  let unscaled = BigInt(trimmed);
  let scale = fractionDigits - (digits.length - trimmed.length);
  if (base === 10) scale -= exponent;
  else unscaled <<= BigInt(exponent);
  // Round up (away from zero) to whole nanos: "if you want some resources, you should get some".
  // A value below one nano by more digits than it has rounds up to exactly 1n.
  if (scale > nanoScale) {
    const places = scale - nanoScale;
    if (places > trimmed.length + 20) unscaled = 1n;
    else {
      const divisor = 10n ** BigInt(places);
      unscaled = (unscaled + divisor - 1n) / divisor;
    }
    scale = nanoScale;
  }
  let result = normalized(unscaled, scale, format);
  if (format === 'BinarySI' && compareMagnitude(result, maxInt64) > 0) result = normalized(maxInt64, 0, format);
  // A binary value between 0 and 1 is kept as decimal, "to avoid rounding and confusion".
  if (format === 'BinarySI' && result.scale > 0 && compareMagnitude(result, 1n) < 0)
    result = { ...result, format: 'DecimalSI' };
  return positive ? result : { ...result, unscaled: -result.unscaled };
}

/** The quantity unscaled × 10^-scale, with the factors of 10 moved into the scale. */
export function normalized(unscaled: bigint, scale: number, format: QuantityFormat): Quantity {
  if (unscaled === 0n) return { unscaled, scale: 0, format };
  let u = unscaled;
  let s = scale;
  while (u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  return { unscaled: u, scale: s, format };
}

/** |q| compared with a non-negative integer. */
function compareMagnitude(q: Quantity, n: bigint): number {
  const abs = q.unscaled < 0n ? -q.unscaled : q.unscaled;
  return compareQuantities(
    { unscaled: abs, scale: q.scale, format: q.format },
    { unscaled: n, scale: 0, format: q.format },
  );
}

const parsedQuantity = memoize((value: string | number): QuantityParse => parseText(String(value)), 10_000);

/**
 * ParseQuantity as the apiserver's decoder applies it to a field: a string (trimmed) or a JSON
 * number (its text); anything else does not match the format. Results are shared and frozen.
 */
export function parseQuantityResult(value: unknown): QuantityParse {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return parsedQuantity(value);
  return { ok: false, error: quantityFormatMessage };
}

/** The quantity, or undefined when the decoder would refuse it. */
export function parseQuantity(value: unknown): Quantity | undefined {
  const parsed = parseQuantityResult(value);
  return parsed.ok ? parsed.quantity : undefined;
}

/**
 * The number of decimal digits of |n|, or one more: from its bit length, which a hexadecimal
 * conversion gives in linear time (a decimal one is slower than that for long numbers).
 */
export function decimalDigitsBound(n: bigint): number {
  if (n === 0n) return 1;
  const hex = (n < 0n ? -n : n).toString(16);
  const bits = (hex.length - 1) * 4 + Math.floor(Math.log2(parseInt(hex[0], 16))) + 1;
  return Math.floor(bits * Math.LOG10E * Math.LN2) + 1;
}

/** Quantity.Cmp: exact, without multiplying out exponents that are far apart. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const signA = a.unscaled < 0n ? -1 : a.unscaled > 0n ? 1 : 0;
  const signB = b.unscaled < 0n ? -1 : b.unscaled > 0n ? 1 : 0;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  // The position of the leading digit decides when it is clearly apart (the bound may be one
  // over); otherwise the two are of a size, and aligning their scales stays as small as they are.
  const leadA = decimalDigitsBound(a.unscaled) - a.scale;
  const leadB = decimalDigitsBound(b.unscaled) - b.scale;
  if (Math.abs(leadA - leadB) >= 2) return leadA > leadB === signA > 0 ? 1 : -1;
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * 10n ** BigInt(scale - a.scale);
  const y = b.unscaled * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The sign of a quantity: -1, 0 or 1. */
export function quantitySign(q: Quantity): -1 | 0 | 1 {
  return q.unscaled < 0n ? -1 : q.unscaled > 0n ? 1 : 0;
}

const decimalSuffixOf = new Map(Object.entries(decimalSuffixes).map(([suffix, exponent]) => [exponent, suffix]));
const binarySuffixOf = new Map(Object.entries(binarySuffixes).map(([suffix, exponent]) => [exponent / 10, suffix]));

/**
 * Quantity.String(): the text as written when ParseQuantity found it canonical, else the
 * canonical form (`1000m` → `1`, `1024Mi` → `1Gi`, `0.5` → `500m`, `1.5Gi` → `1536Mi`).
 * A binary value under 1024 in magnitude, or not whole, prints as decimal. As upstream, a
 * decimal exponent without an SI suffix (above E) prints with no suffix at all.
 */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI' && (q.scale > 0 || compareMagnitude(q, 1024n) < 0)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    // A whole value: the largest power of 1024 that divides it.
    let amount = q.unscaled * 10n ** BigInt(-q.scale);
    let power = 0;
    while (amount % 1024n === 0n && amount !== 0n) {
      amount /= 1024n;
      power++;
    }
    return `${amount}${binarySuffixOf.get(power) ?? ''}`;
  }
  // AsCanonicalBytes: the exponent moved down to a multiple of 3.
  let exponent = -q.scale;
  const shift = ((exponent % 3) + 3) % 3;
  exponent -= shift;
  const mantissa = q.unscaled * 10n ** BigInt(shift);
  const suffix =
    format === 'DecimalExponent' ? (exponent === 0 ? '' : `e${exponent}`) : (decimalSuffixOf.get(exponent) ?? '');
  return `${mantissa}${suffix}`;
}
