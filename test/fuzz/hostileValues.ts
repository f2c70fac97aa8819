// The hostile values of the fuzzing harness: scalars a careful or a hostile user can put in a
// manifest, a scenario or an argument (numbers past every integer type, quantities in every
// form, nulls, control characters and terminal escapes, timestamps, octal-looking modes, deep
// nesting), and the ways a file's bytes can be unusual (a BOM, UTF-16, CR-only line breaks).
import * as fc from 'fast-check';

/** Numbers at and past the limits of int32, int64, the safe integers and doubles. */
export const hugeNumbers = [
  '0',
  '-1',
  '1',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967296',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '1e30',
  '1e308',
  '1e309',
  '-1e309',
  '.inf',
  '-.inf',
  '.nan',
  '0x7fffffff',
  '0o777',
  '1_000',
  '0.5',
];

/** Quantities in every suffix and form, and ones the apiserver refuses. */
export const quantities = [
  '1n',
  '100n',
  '1u',
  '1m',
  '1',
  '1k',
  '1M',
  '1G',
  '1T',
  '1P',
  '1E',
  '1Ki',
  '1Mi',
  '1Gi',
  '1Ti',
  '1Pi',
  '1Ei',
  '8Ei',
  '1e3',
  '1E3',
  '1e30',
  '1e-9',
  '0.001m',
  '-1',
  '+1',
  '1.5Gi',
  '.5',
  '1Mb',
  'lots',
  '1 Gi',
  '9223372036854775807',
  '1e18Ei',
];

/** Strings that are other types in YAML 1.1 or 1.2, or look like them. */
export const lookalikes = [
  '~',
  'null',
  'Null',
  'true',
  'yes',
  'no',
  'on',
  'off',
  'y',
  '2024-01-02',
  '2024-01-02T03:04:05Z',
  '2001-12-14 21:59:43.10 -5',
  '0644',
  '0777',
  '777',
  '511',
  '01',
  '12:30:00',
  '1:20',
  '=',
  '<<',
  '!!binary aGk=',
  '"',
  "'",
  '',
];

/** Control characters, terminal escapes, and text that is hard to print. */
export const hardText = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\u001b[2J',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  'é',
  '𝔘',
  'a\tb',
  'a\rb',
  '%2F',
  '#frag',
  '../..',
  'C:\\x',
];

/** DNS-label-like names, the shape most metadata fields want, with a few that are not. */
export const names = [
  'web',
  'db',
  'a',
  'x-1',
  'web.example',
  'Web',
  '-web',
  'web-',
  'a'.repeat(64),
  'a'.repeat(254),
  '1',
  'kube-system',
];

/** One hostile scalar, as YAML text (plain, quoted or a block scalar). */
export const hostileScalarText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...hugeNumbers, ...quantities, ...lookalikes, ...names),
  fc.constantFrom(...hardText).map((t) => JSON.stringify(t)),
  fc.constantFrom(...hardText, ...lookalikes).map((t) => t.replace(/[\n\r]/g, ' ')),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double().map(String),
);

/** A JSON value of hostile scalars in lists and maps, nested a few levels. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<unknown>(null, true, false, 0, -1, 2147483648, 1e30, Number.MAX_SAFE_INTEGER + 2, '', 'lots'),
    fc.constantFrom(...hugeNumbers, ...quantities, ...lookalikes, ...hardText, ...names),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'kind', 'replicas', 'image', 'port', 'cpu', 'memory', 'x', 'at', 'merge', ''),
      tie('value'),
      {
        maxKeys: 3,
      },
    ),
  ),
})).value;

/** Brackets or mappings nested deeper than any parser's recursion should go. */
export const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('[', '{"a":', '- ', 'a:\n '), fc.integer({ min: 50, max: 12_000 }))
  .map(([open, depth]) => {
    // Block nesting grows as the square of its depth (each line indented further): 400 levels is 160 kB.
    if (open === '- ')
      return Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n') + 'x\n';
    if (open === 'a:\n ')
      return Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' x\n';
    return `data: ${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}\n`;
  });

/** How the bytes of a file may be unusual while the text inside is the same. */
export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'cr' | 'crlf';
export const encodings: fc.Arbitrary<Encoding> = fc.constantFrom(
  'utf8',
  'utf8-bom',
  'utf16le-bom',
  'utf16be-bom',
  'cr',
  'crlf',
);

/** A text's bytes in an encoding (UTF-16 with its byte order mark, as Windows editors save it). */
export function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom': {
      const le = Buffer.from(text, 'utf16le');
      for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
    case 'cr':
      return Buffer.from(text.replace(/\r?\n/g, '\r'), 'utf8');
    case 'crlf':
      return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
  }
}

/** Edits of a text at a random place: a control character, a stray bracket, a tab, a cut. */
export const textDamage: fc.Arbitrary<(text: string) => string> = fc
  .tuple(
    fc.nat(),
    fc.constantFrom('\u0000', '\u001b[1m', '\t', '[', '{', ',', ':', '\r', '&a', '*a', '---\n', '<<: *a\n', 'cut'),
  )
  .map(([at, piece]) => (text: string) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return piece === 'cut' ? text.slice(0, i) : text.slice(0, i) + piece + text.slice(i);
  });
