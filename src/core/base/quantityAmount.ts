// Quantities as the simulator counts them: whole numbers of a unit (millicores for cpu, bytes
// for memory and storage, a count for pods and extended resources), rounded up as upstream's
// MilliValue() and Value() round (`1n` of cpu is 1m). Upstream's int64 wraps for values beyond
// it; the simulator instead keeps their magnitude, so a pod asking for 8Ei or 1e30 of memory
// compares as the huge request it is and fits no node. Amounts are JavaScript numbers, exact to
// 2^53 and monotone above it, saturated at ±maxAmount so that sums and differences of them
// never reach Infinity or NaN. Also sums of quantities, exact, as the quota code adds them.
import { memoize } from './memo';
import { decimalDigitsBound, normalized, parseQuantity, type Quantity } from './quantity';

/** The largest amount the simulator holds; larger quantities count as this (far beyond any node). */
export const maxAmount = 1e300;
const maxAmountDigits = 300;

/** ceil(q × 10^scale) as a number (ScaledValue(-scale)), saturated at ±maxAmount. */
export function scaledAmount(q: Quantity, scale: number): number {
  if (q.unscaled === 0n) return 0;
  const exponent = scale - q.scale;
  const negative = q.unscaled < 0n;
  const abs = negative ? -q.unscaled : q.unscaled;
  // The magnitude is decided by the leading digit's position before anything is multiplied out.
  if (decimalDigitsBound(abs) - 1 + exponent > maxAmountDigits) return negative ? -maxAmount : maxAmount;
  let whole: bigint;
  if (exponent >= 0) whole = q.unscaled * 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    // BigInt division truncates toward zero, which is the ceiling for negative values.
    whole = negative ? q.unscaled / divisor : (q.unscaled + divisor - 1n) / divisor;
  }
  return Math.max(-maxAmount, Math.min(maxAmount, Number(whole)));
}

const milliOf = memoize((value: string | number): number => {
  const q = parseQuantity(value);
  return q ? scaledAmount(q, 3) : 0;
}, 10_000);
const unitsOf = memoize((value: string | number): number => {
  const q = parseQuantity(value);
  return q ? scaledAmount(q, 0) : 0;
}, 10_000);

/**
 * MilliValue() of a quantity field (cpu in millicores). Absent or unreadable counts as 0: the
 * validator refuses an unreadable quantity before a manifest reaches the simulated cluster.
 */
export function milliValue(value: unknown): number {
  return typeof value === 'string' || typeof value === 'number' ? milliOf(value) : 0;
}

/** Value() of a quantity field (bytes for memory and storage, a count otherwise); absent or unreadable is 0. */
export function unitValue(value: unknown): number {
  return typeof value === 'string' || typeof value === 'number' ? unitsOf(value) : 0;
}

/** The most digits aligning two addends may add to the longer of them. */
const maxSumDigits = 10_000;

/** A count as a Quantity (resource.NewQuantity(n, DecimalSI)). */
export function countQuantity(n: number): Quantity {
  if (!Number.isSafeInteger(n)) throw new RangeError(`a count must be a safe integer, got ${n}`);
  return normalized(BigInt(n), 0, 'DecimalSI');
}

/** Quantity.Add, exactly: the sum keeps a's format unless a is zero; its text is computed afresh. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const format = a.unscaled === 0n ? b.format : a.format;
  if (b.unscaled === 0n) return { unscaled: a.unscaled, scale: a.scale, format };
  if (a.unscaled === 0n) return { unscaled: b.unscaled, scale: b.scale, format };
  // Aligning 1e2000000000 with 1n would take two billion digits: when aligning would add more
  // than maxSumDigits to the longer of the two, the smaller addend (less than 10^-maxSumDigits
  // of the sum) is left out.
  const digitsA = decimalDigitsBound(a.unscaled);
  const digitsB = decimalDigitsBound(b.unscaled);
  const leadA = digitsA - a.scale;
  const leadB = digitsB - b.scale;
  if (Math.max(leadA, leadB) + Math.max(a.scale, b.scale) > Math.max(digitsA, digitsB) + maxSumDigits) {
    const larger = leadA >= leadB ? a : b;
    return { unscaled: larger.unscaled, scale: larger.scale, format };
  }
  const scale = Math.max(a.scale, b.scale);
  const sum = a.unscaled * 10n ** BigInt(scale - a.scale) + b.unscaled * 10n ** BigInt(scale - b.scale);
  return normalized(sum, scale, format);
}
