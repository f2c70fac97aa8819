// Manifest bytes are decoded as kubectl decodes them: a BOM selects UTF-8, UTF-16LE or
// UTF-16BE, anything else is UTF-8; findings keep the positions an editor shows.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeManifestBytes } from '../../src/core/manifest/textEncoding';
import { validateManifestText } from '../../src/core/manifest/validate';
import { regExpOf } from '../regExpOf';

const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata:\n  café: "ü"\n';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

function positions(text: string): string[] {
  return validateManifestText(text).map((f) => `${f.code} ${f.range.start.line + 1}:${f.range.start.column + 1}`);
}

test('UTF-16 with a BOM, either byte order, and UTF-8 with a BOM decode to the same text', () => {
  const encodings: [string, Buffer][] = [
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(manifest, 'utf16le')])],
    ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(manifest)])],
    ['utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(manifest, 'utf8')])],
  ];
  for (const [encoding, bytes] of encodings) {
    const decoded = decodeManifestBytes(bytes);
    assert.deepEqual(decoded, { text: manifest, encoding, bom: true }, encoding);
  }
  assert.deepEqual(decodeManifestBytes(Buffer.from(manifest, 'utf8')), {
    text: manifest,
    encoding: 'utf-8',
    bom: false,
  });
});

test('a UTF-16 file with a BOM is validated, with the positions of its decoded text', () => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(manifest, 'utf16le')]);
  const found = positions(decodeManifestBytes(bytes).text);
  assert.ok(found.length > 0, 'the invalid name inside a UTF-16 file must be reported');
  assert.deepEqual(found, positions(manifest));
  assert.deepEqual(found, ['PT3001 4:9', 'PT3015 6:3']);
});

test('without a BOM, UTF-16 and UTF-32 are read as UTF-8 and meet the control character check', () => {
  for (const bytes of [
    Buffer.from(manifest, 'utf16le'),
    Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), Buffer.from('a\0\0\0', 'latin1')]),
  ]) {
    const findings = validateManifestText(decodeManifestBytes(bytes).text);
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.match(
      findings[0].message,
      regExpOf(
        /^YAML syntax error: control characters are not allowed \(U\+0000\); /,
        /the file looks like UTF-16 without a byte order mark or UTF-32/,
      ),
    );
  }
});

test('invalid UTF-8 becomes U+FFFD, as Go decodes it, and is no control character', () => {
  const bytes = Buffer.concat([
    Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "'),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('"\n'),
  ]);
  const { text } = decodeManifestBytes(bytes);
  assert.ok(text.includes('\uFFFD('));
  assert.deepEqual(validateManifestText(text), []);
});
