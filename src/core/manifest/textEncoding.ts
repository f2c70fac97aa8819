// The bytes of a manifest file turned into text as kubectl turns them: its file visitor
// (k8s.io/cli-runtime, FileVisitor.Visit) reads every file and stdin through
// unicode.BOMOverride(unicode.UTF8.NewDecoder()), so a byte order mark selects UTF-8,
// UTF-16LE or UTF-16BE and is dropped, and anything else is read as UTF-8 with each invalid
// byte sequence replaced by U+FFFD. There is no UTF-32 and no guessing without a BOM: a
// UTF-32 file or a UTF-16 file without a BOM decodes to text full of NULs, which the YAML
// layer then reports as kubectl does (`control characters are not allowed`).

export type ManifestEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedManifestBytes {
  readonly text: string;
  readonly encoding: ManifestEncoding;
  /** True when the bytes began with a byte order mark (dropped from `text`). */
  readonly bom: boolean;
}

function encodingOf(bytes: Uint8Array): { encoding: ManifestEncoding; bom: boolean } {
  const [b0, b1, b2] = bytes;
  if (bytes.length >= 3 && b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: true };
  if (bytes.length >= 2 && b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (bytes.length >= 2 && b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: true };
  return { encoding: 'utf-8', bom: false };
}

/**
 * Decodes a manifest file's bytes. Line and column positions of findings are then positions
 * in this text, as an editor shows the file (editors hide the byte order mark too).
 */
export function decodeManifestBytes(bytes: Uint8Array): DecodedManifestBytes {
  const { encoding, bom } = encodingOf(bytes);
  // TextDecoder drops a leading BOM of its own encoding and replaces what it cannot decode
  // (an unpaired surrogate, an odd last byte) with U+FFFD, as Go's decoders do.
  const text = new TextDecoder(encoding, { fatal: false, ignoreBOM: false }).decode(bytes);
  return { text, encoding, bom };
}
