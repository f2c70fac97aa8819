// The certificates `podtrace serve` makes at start: a CA of its own (basicConstraints CA,
// keyCertSign) and a serving certificate it signs for IP 127.0.0.1 and DNS localhost
// (serverAuth). ECDSA P-256 keys from node:crypto, signed with ecdsa-with-SHA256. The CA
// goes into the kubeconfig as certificate-authority-data; the keys never leave the process.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  tagged,
  time,
  unsignedInteger,
  utf8String,
  type Der,
} from './der';

const oids = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

export interface ServingCredentials {
  /** The CA certificate in PEM, for clients (certificate-authority-data). */
  readonly caPem: string;
  /** The serving certificate in PEM. */
  readonly certPem: string;
  /** The serving certificate's private key in PKCS #8 PEM. */
  readonly keyPem: string;
}

interface Issuer {
  readonly name: Der;
  readonly key: KeyObject;
  readonly keyId: Buffer;
}

function name(commonName: string, organization?: string): Der {
  const rdn = (type: string, value: string) => set(sequence(oid(type), utf8String(value)));
  return sequence(...(organization ? [rdn(oids.organization, organization)] : []), rdn(oids.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Der): Der {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** RFC 5280 4.2.1.2, method 1: the SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Buffer): Buffer {
  // The SubjectPublicKeyInfo of a P-256 key ends with its 65-byte uncompressed point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function certificate(options: {
  readonly subject: Der;
  readonly publicKey: KeyObject;
  readonly issuer: Issuer | 'self';
  readonly selfKey: KeyObject;
  readonly days: number;
  readonly now: Date;
  readonly extensions: readonly Der[];
}): Buffer {
  const spki = options.publicKey.export({ type: 'spki', format: 'der' });
  const subjectKeyId = keyIdentifier(spki);
  const issuer: Issuer =
    options.issuer === 'self' ? { name: options.subject, key: options.selfKey, keyId: subjectKeyId } : options.issuer;
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  // An hour of slack before now, for clocks a little behind this one.
  const notBefore = new Date(options.now.getTime() - 3_600_000);
  const notAfter = new Date(options.now.getTime() + options.days * 86_400_000);
  const algorithm = sequence(oid(oids.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    issuer.name,
    sequence(time(notBefore), time(notAfter)),
    options.subject,
    spki,
    explicit(
      3,
      sequence(
        ...options.extensions,
        extension(oids.subjectKeyIdentifier, false, octetString(subjectKeyId)),
        extension(oids.authorityKeyIdentifier, false, sequence(tagged(0x80, issuer.keyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, issuer.key);
  return sequence(tbs, algorithm, bitString(signature));
}

/** Makes a fresh CA and a serving certificate for 127.0.0.1 and localhost, valid for a year. */
export function makeServingCredentials(now: Date = new Date()): ServingCredentials {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = name('podtrace-sim-ca', 'podtrace');
  const caDer = certificate({
    subject: caName,
    publicKey: ca.publicKey,
    issuer: 'self',
    selfKey: ca.privateKey,
    days: 3650,
    now,
    extensions: [
      extension(oids.basicConstraints, true, sequence(boolean(true))),
      // digitalSignature (bit 0), keyCertSign (bit 5), cRLSign (bit 6): 1000 0110, one unused bit.
      extension(oids.keyUsage, true, bitString(Buffer.from([0x86]), 1)),
    ],
  });
  const caSpki = ca.publicKey.export({ type: 'spki', format: 'der' });
  const issuer: Issuer = { name: caName, key: ca.privateKey, keyId: keyIdentifier(caSpki) };
  const serving = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const servingDer = certificate({
    subject: name('podtrace-sim'),
    publicKey: serving.publicKey,
    issuer,
    selfKey: serving.privateKey,
    days: 365,
    now,
    extensions: [
      extension(oids.basicConstraints, true, sequence()),
      // digitalSignature (bit 0) only: 1000 0000, seven unused bits.
      extension(oids.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(oids.extKeyUsage, false, sequence(oid(oids.serverAuth))),
      // GeneralName dNSName [2] IA5String and iPAddress [7] OCTET STRING, both implicit.
      extension(
        oids.subjectAltName,
        false,
        sequence(tagged(0x82, Buffer.from('localhost', 'ascii')), tagged(0x87, Buffer.from([127, 0, 0, 1]))),
      ),
    ],
  });
  return {
    caPem: pem('CERTIFICATE', caDer),
    certPem: pem('CERTIFICATE', servingDer),
    keyPem: serving.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
