// Certificates and keys for the local control plane.
//
// One cluster CA signs the apiserver's serving certificate and the client
// certificates of the admin and the controller-manager; a separate front-proxy
// CA lets the apiserver authenticate to aggregated APIs (metrics.k8s.io), as
// kubeadm sets it up. Keys are ECDSA P-256: fast to generate, accepted everywhere.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

// The library is typed against the DOM's Crypto, which Node's webcrypto implements.
x509.cryptoProvider.set(webcrypto as never);

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const validityDays = 365;

/** A certificate and its private key, both PEM-encoded. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

interface Issuer extends KeyPair {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface CertificateRequest {
  commonName: string;
  organizations?: string[];
  /** DNS names and IP addresses for a serving certificate. */
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function publicKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('spki', key);
  return x509.PemConverter.encode(der, 'PUBLIC KEY');
}

function validity(): { notBefore: Date; notAfter: Date } {
  // Back-date by an hour so small clock differences between processes never matter.
  const notBefore = new Date(Date.now() - 3600_000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + validityDays * 86400_000) };
}

function distinguishedName(commonName: string, organizations: string[] = []): string {
  const escape = (v: string): string => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${escape(commonName)}`, ...organizations.map((o) => `O=${escape(o)}`)].join(', ');
}

export async function createCertificateAuthority(commonName: string): Promise<Issuer> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: distinguishedName(commonName),
    keys,
    signingAlgorithm,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, privateKey: keys.privateKey, certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export async function issueCertificate(ca: Issuer, request: CertificateRequest): Promise<KeyPair> {
  const keys = await generateKeys();
  const names: x509.JsonGeneralName[] = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(
      [request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    subject: distinguishedName(request.commonName, request.organizations),
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm,
    ...validity(),
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** The key pair the apiserver signs service-account tokens with. */
export async function createServiceAccountSigningKey(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  const keys = await generateKeys();
  return { publicKeyPem: await publicKeyPem(keys.publicKey), privateKeyPem: await privateKeyPem(keys.privateKey) };
}
