// Command lines for etcd, kube-apiserver and kube-controller-manager.
// Pure functions, so the flags are easy to read and to test.
import type { PkiFiles } from './pki-files.js';
import { serviceClusterIpRange } from './pki-files.js';

export interface EtcdPorts {
  client: number;
  peer: number;
}

export function etcdArgs(dataDir: string, ports: EtcdPorts): string[] {
  const client = `http://127.0.0.1:${ports.client}`;
  const peer = `http://127.0.0.1:${ports.peer}`;
  return [
    '--name=stratus',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=stratus=${peer}`,
    // A single local member whose data is disposable: fsync buys nothing but latency.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function kubeApiserverArgs(pki: PkiFiles, etcdClientPort: number, securePort: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.caCert}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountPrivateKey}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    '--allow-privileged=true',
    // Aggregated APIs (metrics.k8s.io) authenticate the apiserver through the front proxy.
    `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
    `--proxy-client-key-file=${pki.frontProxyClientKey}`,
    '--profiling=false',
    '--v=1',
  ];
}

export function kubeControllerManagerArgs(pki: PkiFiles, kubeconfig: string, securePort: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
    '--leader-elect=false',
    // Each controller acts as its own service account, as kubeadm runs it.
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccountPrivateKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    '--controllers=*',
    // The defaults (20 QPS, burst 30) are sized for a shared production
    // apiserver; a private local plane can take more.
    '--kube-api-qps=200',
    '--kube-api-burst=400',
    '--profiling=false',
    '--v=1',
  ];
}
