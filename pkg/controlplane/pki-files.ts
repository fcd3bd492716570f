// The control plane's certificates on disk: generated on first start, reused
// when the state folder is kept between runs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  createServiceAccountSigningKey,
  issueCertificate,
  type KeyPair,
} from './pki.js';

export interface PkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  controllerManagerCert: string;
  controllerManagerKey: string;
  frontProxyCaCert: string;
  frontProxyClientCert: string;
  frontProxyClientKey: string;
  serviceAccountPublicKey: string;
  serviceAccountPrivateKey: string;
}

/** The apiserver's in-cluster names, as kubeadm puts them in its serving certificate. */
const apiserverDnsNames = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];
export const serviceClusterIpRange = '10.96.0.0/16';
const apiserverServiceIp = '10.96.0.1';

function filesIn(dir: string): PkiFiles {
  const f = (name: string): string => join(dir, name);
  return {
    dir,
    caCert: f('ca.crt'),
    caKey: f('ca.key'),
    apiserverCert: f('apiserver.crt'),
    apiserverKey: f('apiserver.key'),
    adminCert: f('admin.crt'),
    adminKey: f('admin.key'),
    controllerManagerCert: f('controller-manager.crt'),
    controllerManagerKey: f('controller-manager.key'),
    frontProxyCaCert: f('front-proxy-ca.crt'),
    frontProxyClientCert: f('front-proxy-client.crt'),
    frontProxyClientKey: f('front-proxy-client.key'),
    serviceAccountPublicKey: f('sa.pub'),
    serviceAccountPrivateKey: f('sa.key'),
  };
}

function writePair(certPath: string, keyPath: string, pair: KeyPair): void {
  writeFileSync(certPath, pair.certPem);
  writeFileSync(keyPath, pair.keyPem, { mode: 0o600 });
}

export async function ensurePki(dir: string): Promise<PkiFiles> {
  const files = filesIn(dir);
  // The last file written marks a complete set.
  if (existsSync(files.serviceAccountPrivateKey)) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const ca = await createCertificateAuthority('stratus-ca');
  writePair(files.caCert, files.caKey, ca);
  writePair(
    files.apiserverCert,
    files.apiserverKey,
    await issueCertificate(ca, {
      commonName: 'kube-apiserver',
      usage: 'server',
      dnsNames: apiserverDnsNames,
      ipAddresses: ['127.0.0.1', apiserverServiceIp],
    }),
  );
  writePair(
    files.adminCert,
    files.adminKey,
    await issueCertificate(ca, { commonName: 'stratus-admin', organizations: ['system:masters'], usage: 'client' }),
  );
  writePair(
    files.controllerManagerCert,
    files.controllerManagerKey,
    await issueCertificate(ca, { commonName: 'system:kube-controller-manager', usage: 'client' }),
  );
  const frontProxyCa = await createCertificateAuthority('stratus-front-proxy-ca');
  writeFileSync(files.frontProxyCaCert, frontProxyCa.certPem);
  writePair(
    files.frontProxyClientCert,
    files.frontProxyClientKey,
    await issueCertificate(frontProxyCa, { commonName: 'front-proxy-client', usage: 'client' }),
  );
  const sa = await createServiceAccountSigningKey();
  writeFileSync(files.serviceAccountPublicKey, sa.publicKeyPem);
  writeFileSync(files.serviceAccountPrivateKey, sa.privateKeyPem, { mode: 0o600 });
  return files;
}

export function readPem(path: string): string {
  return readFileSync(path, 'utf8');
}

export interface AdmissionPkiFiles {
  caCert: string;
  cert: string;
  key: string;
}

/**
 * The admission server's serving certificate, from a CA of its own (the
 * webhook configurations' caBundle), so a state folder kept from before the
 * admission server existed gains one without touching the cluster's CA.
 */
export async function ensureAdmissionPki(dir: string): Promise<AdmissionPkiFiles> {
  const files = { caCert: join(dir, 'admission-ca.crt'), cert: join(dir, 'admission.crt'), key: join(dir, 'admission.key') };
  if (existsSync(files.key)) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCertificateAuthority('stratus-admission-ca');
  writeFileSync(files.caCert, ca.certPem);
  const serving = await issueCertificate(ca, { commonName: 'stratus-admission', usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  writeFileSync(files.cert, serving.certPem);
  writeFileSync(files.key, serving.keyPem, { mode: 0o600 });
  return files;
}
