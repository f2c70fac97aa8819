// A small DER encoder (ITU-T X.690), just enough for the X.509 certificates `podtrace serve`
// makes at start: Node 20 can make and use keys but cannot issue a certificate, and one
// encoder of a few tags is smaller than a dependency.

/** An encoded DER element: tag, length and contents. */
export type Der = Buffer;

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One element with the given tag byte around `contents`. */
export function tagged(tag: number, contents: Buffer): Der {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(contents.length), contents]);
}

export function sequence(...items: readonly Der[]): Der {
  return tagged(0x30, Buffer.concat(items));
}

export function set(...items: readonly Der[]): Der {
  return tagged(0x31, Buffer.concat(items));
}

export function boolean(value: boolean): Der {
  return tagged(0x01, Buffer.from([value ? 0xff : 0x00]));
}

/**
 * A non-negative INTEGER from its big-endian bytes: leading zeros are dropped and one is put
 * back when the top bit is set, because DER integers are signed and minimal.
 */
export function unsignedInteger(bytes: Buffer): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const body = trimmed.length > 0 && trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tagged(0x02, body.length === 0 ? Buffer.from([0]) : body);
}

export function smallInteger(value: number): Der {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff)
    throw new Error(`DER: expected an integer from 0 to 2147483647, got ${value}`);
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return unsignedInteger(Buffer.from(bytes));
}

/** An OBJECT IDENTIFIER from its dotted form (`1.2.840.10045.4.3.2`). */
export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  if (parts.length < 2 || parts.some((p) => !Number.isInteger(p) || p < 0))
    throw new Error(`DER: expected a dotted object identifier, got "${dotted}"`);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    out.push(...chunk);
  }
  return tagged(0x06, Buffer.from(out));
}

export function utf8String(text: string): Der {
  return tagged(0x0c, Buffer.from(text, 'utf8'));
}

export function octetString(bytes: Buffer): Der {
  return tagged(0x04, bytes);
}

/** A BIT STRING of whole bytes, or with `unusedBits` low bits of the last byte unused. */
export function bitString(bytes: Buffer, unusedBits = 0): Der {
  return tagged(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/**
 * A time as X.509 wants it (RFC 5280 4.1.2.5): UTCTime through 2049, GeneralizedTime from
 * 2050, both in seconds and UTC.
 */
export function time(date: Date): Der {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z';
  const year = date.getUTCFullYear();
  return year < 2050 ? tagged(0x17, Buffer.from(digits.slice(2), 'ascii')) : tagged(0x18, Buffer.from(digits, 'ascii'));
}

/** `[n] EXPLICIT`: a context-specific constructed wrapper. */
export function explicit(n: number, inner: Der): Der {
  return tagged(0xa0 | n, inner);
}
