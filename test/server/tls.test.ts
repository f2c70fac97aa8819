// The certificates podtrace serve makes: a CA that can sign and a serving certificate for
// 127.0.0.1 and localhost that it signed, as Node's X509Certificate and OpenSSL read them.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { makeServingCredentials } from '../../src/core/server/tls/certificates';
import { oid, smallInteger, time, unsignedInteger } from '../../src/core/server/tls/der';

test('DER encodes integers minimally and signed, object identifiers in base 128, and times as UTCTime', () => {
  assert.equal(smallInteger(0).toString('hex'), '020100');
  assert.equal(smallInteger(2).toString('hex'), '020102');
  assert.equal(smallInteger(128).toString('hex'), '02020080');
  assert.equal(unsignedInteger(Buffer.from([0, 0, 0xff])).toString('hex'), '020200ff');
  assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
  assert.equal(
    time(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))
      .toString('ascii')
      .slice(2),
    '260102030405Z',
  );
  assert.equal(
    time(new Date(Date.UTC(2051, 0, 2, 3, 4, 5)))
      .toString('ascii')
      .slice(2),
    '20510102030405Z',
  );
  assert.throws(() => oid('x'), /expected a dotted object identifier, got "x"/);
});

test('the CA is a CA that signs certificates, and the serving certificate is for 127.0.0.1 and localhost', () => {
  const now = new Date();
  const credentials = makeServingCredentials(now);
  const ca = new X509Certificate(credentials.caPem);
  const leaf = new X509Certificate(credentials.certPem);
  assert.equal(ca.ca, true);
  assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
  assert.equal(leaf.ca, false);
  assert.ok(leaf.checkIssued(ca), 'the serving certificate names the CA as its issuer');
  assert.ok(leaf.verify(ca.publicKey), 'the CA signed the serving certificate');
  assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(leaf.checkHost('localhost'), 'localhost');
  assert.equal(leaf.checkIP('10.0.0.1'), undefined);
  assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.ok(new Date(leaf.validFrom) <= now && new Date(leaf.validTo) > now, `${leaf.validFrom} – ${leaf.validTo}`);
  assert.match(credentials.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.notEqual(makeServingCredentials().caPem, credentials.caPem, 'every start makes a new CA');
});
