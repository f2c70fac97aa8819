// The CLI reads files and standard input as kubectl does: a byte order mark selects UTF-8,
// UTF-16LE or UTF-16BE; findings inside are reported with the decoded text's positions.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');
const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n';

function podtrace(args: string[], input?: Buffer) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('a UTF-16 file with a BOM is decoded and its errors reported, from a file and from stdin', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-encodings-'));
  try {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(manifest, 'utf16le')]);
    const file = path.join(dir, 'windows.yaml');
    fs.writeFileSync(file, bytes);
    const expected = ': error PT3001 metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain';
    const fromFile = podtrace(['validate', file]);
    assert.equal(fromFile.code, 1, fromFile.stderr);
    assert.ok(fromFile.stdout.startsWith(`${file}:4:9${expected}`), fromFile.stdout);
    const fromStdin = podtrace(['validate', '-'], bytes);
    assert.equal(fromStdin.code, 1, fromStdin.stderr);
    assert.ok(fromStdin.stdout.startsWith(`-:4:9${expected}`), fromStdin.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
