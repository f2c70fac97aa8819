// Resource quantities (k8s.io/apimachinery/pkg/api/resource/quantity.go): enough of them to
// compare a request with a limit exactly and to print a value in canonical form, as the
// apiserver's messages do ("must be less than or equal to cpu limit of 1").
// Values are held as exact rationals over 10^9 (nano units), with BigInt.
import { memoize } from '../../base/memo';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in nano units (value × 10^9), rounded up as the apiserver rounds below nano. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const quantityPattern = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const decimalExponent: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binaryExponent: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const nano = 10n ** 9n;

/**
 * Parsed quantities by their text: manifests and the pods made from them repeat the same few
 * (`100m`, `128Mi`), and parsing one takes big-integer arithmetic. Results are shared, so
 * they are frozen.
 */
const parsedQuantity = memoize((value: string | number): Quantity | undefined => {
  const parsed = parseQuantityText(value);
  return parsed === undefined ? undefined : Object.freeze(parsed);
}, 10_000);

/** Parses a quantity string or number; undefined when the apiserver's decoder would reject it. */
export function parseQuantity(value: unknown): Quantity | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parsedQuantity(value) : undefined;
}

function parseQuantityText(value: string | number): Quantity | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || text !== (typeof value === 'string' ? value : text)) return undefined;
  const m = quantityPattern.exec(text);
  if (!m) return undefined;
  const [, sign, digits, suffix = ''] = m;
  const [whole, frac = ''] = digits.split('.');
  // mantissa × 10^-fracLen × scale
  let numerator = BigInt((whole || '0') + frac) * nano;
  let denominator = 10n ** BigInt(frac.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in binaryExponent) {
    numerator *= 1n << BigInt(binaryExponent[suffix]);
    format = 'BinarySI';
  } else if (suffix in decimalExponent) {
    const e = decimalExponent[suffix];
    if (e >= 0) numerator *= 10n ** BigInt(e);
    else denominator *= 10n ** BigInt(-e);
  } else {
    const e = Number(suffix.slice(1));
    if (!Number.isFinite(e) || Math.abs(e) > 100) return undefined;
    if (e >= 0) numerator *= 10n ** BigInt(e);
    else denominator *= 10n ** BigInt(-e);
    format = 'DecimalExponent';
  }
  // Round up to whole nanos, as Quantity does for values below its precision.
  let nanos = (numerator + denominator - 1n) / denominator;
  if (sign === '-') nanos = -nanos;
  return { nanos, format };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

const decimalSuffixes: [number, string][] = [
  [18, 'E'],
  [15, 'P'],
  [12, 'T'],
  [9, 'G'],
  [6, 'M'],
  [3, 'k'],
  [0, ''],
  [-3, 'm'],
  [-6, 'u'],
  [-9, 'n'],
];
const binarySuffixes: [bigint, string][] = [
  [1n << 60n, 'Ei'],
  [1n << 50n, 'Pi'],
  [1n << 40n, 'Ti'],
  [1n << 30n, 'Gi'],
  [1n << 20n, 'Mi'],
  [1n << 10n, 'Ki'],
];

/** Quantity.String(): the canonical form, e.g. `1000m` → `1`, `1024Mi` → `1Gi`, `0.5` → `500m`. */
export function formatQuantity(q: Quantity): string {
  const negative = q.nanos < 0n;
  const abs = negative ? -q.nanos : q.nanos;
  const sign = negative ? '-' : '';
  if (abs === 0n) return '0';
  // BinarySI is kept only for whole values of at least 1024; smaller or fractional ones print as DecimalSI.
  if (q.format === 'BinarySI' && abs % nano === 0n && abs >= 1024n * nano) {
    const units = abs / nano;
    for (const [size, suffix] of binarySuffixes) if (units % size === 0n) return `${sign}${units / size}${suffix}`;
    return `${sign}${units}`;
  }
  for (const [exp, suffix] of decimalSuffixes) {
    const unit = exp >= -9 ? 10n ** BigInt(exp + 9) : 1n;
    if (abs % unit === 0n) {
      const mantissa = abs / unit;
      if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
      return `${sign}${mantissa}${suffix}`;
    }
  }
  return `${sign}${abs}n`;
}
