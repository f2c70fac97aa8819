// The one quantity implementation (src/core/base/quantity.ts) against the examples of
// apimachinery's quantity_test.go: parse, round-up, the cap, compare and String().
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareQuantities,
  decimalDigitsBound,
  zeroQuantity,
  formatQuantity,
  normalized,
  parseQuantity,
  parseQuantityResult,
  quantityFormatMessage,
  quantityNumericMessage,
  quantitySign,
  quantitySuffixMessage,
  type Quantity,
  type QuantityFormat,
} from '../../src/core/base/quantity';
import { addQuantities, countQuantity, maxAmount, milliValue, unitValue } from '../../src/core/base/quantityAmount';

function q(text: string | number): Quantity {
  const parsed = parseQuantityResult(text);
  assert.ok(parsed.ok, `expected ${JSON.stringify(text)} to parse, got ${parsed.ok ? '' : parsed.error}`);
  return parsed.quantity;
}

/** decQuantity(n, scale, format) of the Go tests: n × 10^scale. */
function dec(n: bigint, exponent: number, format: QuantityFormat): Quantity {
  return normalized(n, -exponent, format);
}

test('parse: TestQuantityParse values and formats, also with - and + in front', () => {
  const table: [string, Quantity][] = [
    ['0', dec(0n, 0, 'DecimalSI')],
    ['0Ki', dec(0n, 0, 'BinarySI')],
    ['1Ki', dec(1024n, 0, 'BinarySI')],
    ['7Mi', dec(7n * 1024n ** 2n, 0, 'BinarySI')],
    ['4Pi', dec(4n * 1024n ** 5n, 0, 'BinarySI')],
    ['3Ei', dec(3n * 1024n ** 6n, 0, 'BinarySI')],
    ['5n', dec(5n, -9, 'DecimalSI')],
    ['4u', dec(4n, -6, 'DecimalSI')],
    ['50k', dec(5n, 4, 'DecimalSI')],
    ['1E', dec(1n, 18, 'DecimalSI')],
    ['1E-3', dec(1n, -3, 'DecimalExponent')],
    ['1.3E+6', dec(13n, 5, 'DecimalExponent')],
    ['1.7E18', dec(17n, 17, 'DecimalExponent')],
    ['100.035k', dec(100035n, 0, 'DecimalSI')],
    ['0.0005k', dec(5n, -1, 'DecimalSI')],
    ['0.5e-2', dec(5n, -3, 'DecimalExponent')],
    ['6.987654321G', dec(6987654321n, 0, 'DecimalSI')],
    ['1.01E', dec(101n, 16, 'DecimalSI')],
    // Things that saturate or round up.
    ['3.001n', dec(4n, -9, 'DecimalSI')],
    ['1.1E-9', dec(2n, -9, 'DecimalExponent')],
    ['0.0000000005', dec(1n, -9, 'DecimalSI')],
    ['0.00000012354', dec(124n, -9, 'DecimalSI')],
    ['9Ei', dec((1n << 63n) - 1n, 0, 'BinarySI')],
    ['9223372036854775807Ki', dec((1n << 63n) - 1n, 0, 'BinarySI')],
    ['12E', dec(12n, 18, 'DecimalSI')],
    ['100.035Ki', dec(10243584n, -2, 'BinarySI')],
    ['0.05Gi', dec(536870912n, -1, 'BinarySI')],
    // Things written by trolls.
    ['0.000000000001Ki', dec(2n, -9, 'DecimalSI')],
    ['.0001k', dec(100n, -3, 'DecimalSI')],
    ['1.G', dec(1n, 9, 'DecimalSI')],
  ];
  for (const [text, expected] of table) {
    for (const sign of ['', '-', '+']) {
      const got = q(sign + text);
      const want = sign === '-' ? { ...expected, unscaled: -expected.unscaled } : expected;
      assert.equal(compareQuantities(got, want), 0, `${sign}${text}: ${formatQuantity(got)} ≠ ${formatQuantity(want)}`);
      assert.equal(got.format, expected.format, `${sign}${text}`);
    }
  }
});

test("parse: the decoder's three errors, and whitespace only at the ends (UnmarshalJSON trims)", () => {
  for (const bad of ['1.1.M', '1+1.0M', 'aoeu', '0.1am', '1 Gi', '', '   ', 'half', true, {}, null, Number.NaN])
    assert.deepEqual(parseQuantityResult(bad), { ok: false, error: quantityFormatMessage }, String(bad));
  for (const bad of ['0.1mi', '.5i', '1i', '-3.01i', '-3.01e-', '1K', '1e', '1ee5', '1k5', '1e9223372036854775808'])
    assert.deepEqual(parseQuantityResult(bad), { ok: false, error: quantitySuffixMessage }, bad);
  // The slow path hands the number to inf.Dec, which needs a digit; the fast path does not.
  for (const bad of ['Ei', 'Pi', '.e-20', '-.Ei'])
    assert.deepEqual(parseQuantityResult(bad), { ok: false, error: quantityNumericMessage }, bad);
  for (const zero of ['Ki', '.', '-', '+', 'm', '0.0', '-0']) assert.equal(compareQuantities(q(zero), q('0')), 0, zero);
  assert.equal(formatQuantity(q(' 3 ')), '3');
  assert.equal(formatQuantity(q('\t1Gi\n')), '1Gi');
  // The exponent is read as an int64 and truncated to int32, as upstream does: 2^32 is 0.
  assert.equal(compareQuantities(q('1e4294967296'), q('1')), 0);
});

test('String(): TestQuantityString and TestQuantityParseEmit, with the canonical text kept as written', () => {
  const canonical: [Quantity, string, string][] = [
    [dec(1024n ** 3n, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [dec(300n * 1024n ** 2n, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [dec(1001n * 1024n ** 3n, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [dec(5n, 0, 'BinarySI'), '5', '5000m'],
    [dec(500n, -3, 'BinarySI'), '500m', '0.5'],
    [dec(1000n, 6, 'DecimalSI'), '1G', '0.001T'],
    [dec(1n, -3, 'DecimalSI'), '1m', '1000u'],
    [dec(1080n, -3, 'DecimalSI'), '1080m', '1.08'],
    [dec(108n, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [dec(1234567n, -3, 'BinarySI'), '1234567m', ''],
    [dec(1025n, 0, 'BinarySI'), '1025', ''],
    [dec(1n, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [dec(1n, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [dec(1n, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [dec(80n, -3, 'DecimalExponent'), '80e-3', ''],
    [dec(300n, 6, 'DecimalExponent'), '300e6', ''],
    [dec(0n, 0, 'DecimalExponent'), '0', '00'],
    [dec(10800n, -10, 'DecimalSI'), '1080n', ''],
  ];
  for (const [value, expect, alternate] of canonical) {
    assert.equal(formatQuantity(value), expect);
    assert.equal(formatQuantity(q(expect)), expect);
    if (alternate) assert.equal(formatQuantity(q(alternate)), expect, alternate);
    if (value.unscaled !== 0n) assert.equal(formatQuantity({ ...value, unscaled: -value.unscaled }), `-${expect}`);
  }
  const emitted: [string | number, string][] = [
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000000001Ki', '2n'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['1.5', '1500m'],
    [0.1, '100m'],
    ['2000', '2k'],
    ['9Ei', '9223372036854775807'],
  ];
  for (const [text, expect] of emitted) assert.equal(formatQuantity(q(text)), expect, String(text));
  // ParseQuantity keeps the text it found canonical, quirks included.
  for (const kept of ['+5Ki', '5.', '1.005k', '1e30', '100m']) assert.equal(formatQuantity(q(kept)), kept);
  // Above E a decimal value has no suffix to print, and upstream prints the mantissa alone.
  assert.equal(formatQuantity(q('1000E')), '1');
  assert.equal(formatQuantity(q('1e1999999998')), '1e1999999998');
  assert.equal(formatQuantity(q('1e2000000000')), '100e1999999998');
  assert.equal(formatQuantity(q('10e1999999999')), '100e1999999998');
});

test('compare: exact across formats and far-apart exponents, without multiplying them out', () => {
  const cases: [string, string, number][] = [
    ['1Gi', '1000Mi', 1],
    ['1G', '1000M', 0],
    ['1k', '1e3', 0],
    ['1Ki', '1k', 1],
    ['1e2000000000', '1e30', 1],
    ['-1e2000000000', '-1e30', -1],
    ['1e-2000000000', '1n', 0],
    ['-1e30', '-1', -1],
    ['9223372036854775808', '8Ei', 1],
    ['0', '-0.1n', 1],
  ];
  for (const [a, b, expect] of cases) {
    assert.equal(compareQuantities(q(a), q(b)), expect, `${a} vs ${b}`);
    assert.equal(compareQuantities(q(b), q(a)), expect === 0 ? 0 : -expect, `${b} vs ${a}`);
  }
});

test('amounts: MilliValue() and Value() round up, huge values keep their magnitude and never reach Infinity', () => {
  const cases: [string | number, number, number][] = [
    ['1n', 1, 1],
    ['100n', 1, 1],
    ['1u', 1, 1],
    ['1k', 1_000_000, 1000],
    ['100m', 100, 1],
    ['1.5', 1500, 2],
    ['-9.01', -9010, -9],
    ['128Mi', 134217728000, 134217728],
    ['1Pi', 2 ** 50 * 1000, 2 ** 50],
    ['8Ei', Number((1n << 63n) - 1n) * 1000, Number((1n << 63n) - 1n)],
    ['1e30', 1e33, 1e30],
    ['1e2000000000', maxAmount, maxAmount],
    ['-1e2000000000', -maxAmount, -maxAmount],
    [0.25, 250, 1],
  ];
  for (const [text, milli, units] of cases) {
    assert.equal(milliValue(text), milli, `${text} milli`);
    assert.equal(unitValue(text), units, `${text} units`);
  }
  for (const absent of [undefined, null, 'abc', {}]) assert.equal(milliValue(absent) + unitValue(absent), 0);
  assert.ok(Number.isFinite(maxAmount * 1e7), 'ten million saturated amounts still sum to a finite number');
});

test('the memoized parse shares frozen results', () => {
  const a = parseQuantity('250m');
  assert.ok(a && Object.isFrozen(a));
  assert.equal(parseQuantity('250m'), a);
});

test('sums: exact, in the format of the first non-zero part, bounded for far-apart exponents', () => {
  const sum = (...parts: string[]) => formatQuantity(parts.map(q).reduce(addQuantities, zeroQuantity));
  assert.equal(sum('128M', '128M'), '256M');
  assert.equal(sum('128Mi', '128M'), '256072Ki');
  assert.equal(sum('128M', '128Mi'), '262217728');
  assert.equal(sum('100m', '900m'), '1');
  assert.equal(sum('1n', '1n'), '2n');
  assert.equal(sum('8Ei', '8Ei'), '18446744073709551614');
  assert.equal(sum('0', '1Gi'), '1Gi');
  assert.equal(sum('1e2000000000', '1n'), '100e1999999998');
  assert.equal(formatQuantity(addQuantities(countQuantity(999), countQuantity(1))), '1k');
  assert.throws(() => countQuantity(0.5), /a count must be a safe integer, got 0.5/);
});

test('the digit bound is the decimal length of |n| or one more', () => {
  for (let i = 0n; i < 400n; i++) {
    for (const n of [i, -i, 10n ** i, 10n ** i - 1n, 2n ** i, 2n ** i - 1n]) {
      const digits = (n < 0n ? -n : n).toString().length;
      assert.ok(
        [digits, digits + 1].includes(decimalDigitsBound(n)),
        `${n}: ${decimalDigitsBound(n)} for ${digits} digits`,
      );
    }
  }
});

test('hostile quantities of 100,000 characters parse, compare and count in linear time', () => {
  const n = 100_000;
  const texts = [
    `0.${'0'.repeat(n)}1`,
    '7'.repeat(n),
    `1${'0'.repeat(n)}`,
    `${' '.repeat(n)}1${' '.repeat(n)}`,
    `1${' '.repeat(n)}1`,
    `1${'k'.repeat(n)}`,
    `1e${'9'.repeat(n)}`,
    `0.${'9'.repeat(n)}`,
    `${'9'.repeat(n)}Ki`,
    '.'.repeat(n),
  ];
  const started = performance.now();
  for (const text of texts) {
    const parsed = parseQuantityResult(text);
    if (!parsed.ok) continue;
    assert.equal(compareQuantities(parsed.quantity, parsed.quantity), 0);
    assert.ok(Number.isFinite(milliValue(text)) && Number.isFinite(unitValue(text)));
    assert.equal(
      compareQuantities(addQuantities(parsed.quantity, parsed.quantity), parsed.quantity),
      quantitySign(parsed.quantity),
    );
    formatQuantity(parsed.quantity);
  }
  // A generous bound for a loaded machine: quadratic work on these would take minutes.
  assert.ok(performance.now() - started < 10_000, `took ${Math.round(performance.now() - started)} ms`);
});
