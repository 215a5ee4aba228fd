import { generateKeyPair } from 'node:crypto';
import forge from 'node-forge';

/** PEM material for the stand-in's HTTPS listener and the kubeconfig that trusts it. */
export interface StandInCertificates {
  readonly caCertPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

let shared: Promise<StandInCertificates> | null = null;

/**
 * The certificates stand-ins of this process share. RSA key generation costs seconds on a busy
 * machine, so a test file that starts several stand-ins pays it once; `fresh` mints a separate CA
 * (for "a client trusting another CA must fail").
 */
export function standInCertificates(fresh = false): Promise<StandInCertificates> {
  if (fresh) return generateStandInCertificates();
  shared ??= generateStandInCertificates();
  return shared;
}

/**
 * Mints a throw-away CA and a server certificate for 127.0.0.1 / localhost. Keys come from Node's
 * crypto (native, off the event loop, both at once); node-forge only assembles and signs the
 * X.509 structures, which Node cannot do. Nothing is written to disk.
 */
export async function generateStandInCertificates(commonName = 'mesh-doctor-standin'): Promise<StandInCertificates> {
  const [caKeys, serverKeys] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const now = Date.now();

  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = randomSerial();
  ca.validity.notBefore = new Date(now - ONE_DAY_MS);
  ca.validity.notAfter = new Date(now + 30 * ONE_DAY_MS);
  const caName = [{ name: 'commonName', value: `${commonName}-ca` }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const server = forge.pki.createCertificate();
  server.publicKey = serverKeys.publicKey;
  server.serialNumber = randomSerial();
  server.validity.notBefore = ca.validity.notBefore;
  server.validity.notAfter = ca.validity.notAfter;
  server.setSubject([{ name: 'commonName', value: commonName }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // type 7 = iPAddress, type 2 = dNSName (RFC 5280 GeneralName).
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caCertPem: forge.pki.certificateToPem(ca),
    serverCertPem: forge.pki.certificateToPem(server),
    serverKeyPem: serverKeys.privateKeyPem,
  };
}

async function rsaKeyPair(): Promise<{ publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privateKeyPem: string }> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: string; privateKey: string }>((resolve, reject) =>
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } },
      (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv })),
    ),
  );
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    privateKeyPem: privateKey,
  };
}

/** A positive 16-byte serial in hex (a leading 0-7 nibble keeps the DER integer positive). */
function randomSerial(): string {
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}
