// The third-party APIs Stratus speaks, one folder each under pkg/contracts:
// the module that pins them (hack/upstream/go.mod), the API groups whose
// CRDs are theirs, and the kinds that get TypeScript types generated from
// their upstream schemas.
export interface TypedKind {
  /** The CRD's name, e.g. virtualmachines.kubevirt.io. */
  crd: string;
  version: string;
  /** The generated file, in <folder>/generated/. */
  file: string;
  /** Sub-schemas (by JSON path from the object's root) declared as named, exported types. */
  named?: Record<string, string>;
  /**
   * Sub-schemas that are another kind's named type: replaced by a reference to
   * it when the two schemas agree (descriptions aside), left inline otherwise.
   */
  refs?: Record<string, string>;
}

export interface ContractApi {
  /** The folder under pkg/contracts. */
  folder: string;
  /** The Go modules that ship (or build) its CRDs. */
  modules: string[];
  /** The API groups whose CRDs belong to this API. */
  groups: string[];
  kinds: TypedKind[];
}

// CDI comes before KubeVirt: KubeVirt's dataVolumeTemplates refer to CDI's DataVolumeSpec.
export const contractApis: ContractApi[] = [
  {
    folder: 'cdi',
    modules: ['kubevirt.io/containerized-data-importer'],
    groups: ['cdi.kubevirt.io', 'forklift.cdi.kubevirt.io'],
    kinds: [
      { crd: 'datavolumes.cdi.kubevirt.io', version: 'v1beta1', file: 'data-volume', named: { 'spec': 'DataVolumeSpec', 'status': 'DataVolumeStatus' } },
      { crd: 'datasources.cdi.kubevirt.io', version: 'v1beta1', file: 'data-source' },
      { crd: 'dataimportcrons.cdi.kubevirt.io', version: 'v1beta1', file: 'data-import-cron' },
      { crd: 'storageprofiles.cdi.kubevirt.io', version: 'v1beta1', file: 'storage-profile' },
      { crd: 'cdiconfigs.cdi.kubevirt.io', version: 'v1beta1', file: 'cdi-config' },
    ],
  },
  {
    folder: 'kubevirt',
    modules: ['kubevirt.io/kubevirt'],
    groups: [
      'kubevirt.io',
      'pool.kubevirt.io',
      'snapshot.kubevirt.io',
      'instancetype.kubevirt.io',
      'migrations.kubevirt.io',
      'export.kubevirt.io',
      'clone.kubevirt.io',
      'backup.kubevirt.io',
    ],
    kinds: [
      {
        crd: 'virtualmachineinstances.kubevirt.io',
        version: 'v1',
        file: 'virtual-machine-instance',
        named: { 'spec': 'VirtualMachineInstanceSpec', 'status': 'VirtualMachineInstanceStatus' },
      },
      {
        crd: 'virtualmachines.kubevirt.io',
        version: 'v1',
        file: 'virtual-machine',
        named: { 'spec': 'VirtualMachineSpec', 'status': 'VirtualMachineStatus' },
        refs: { 'spec.template.spec': 'VirtualMachineInstanceSpec', 'spec.dataVolumeTemplates[].spec': 'DataVolumeSpec' },
      },
      { crd: 'virtualmachinepools.pool.kubevirt.io', version: 'v1beta1', file: 'virtual-machine-pool', refs: { 'spec.virtualMachineTemplate.spec': 'VirtualMachineSpec' } },
      { crd: 'virtualmachineinstancemigrations.kubevirt.io', version: 'v1', file: 'virtual-machine-instance-migration' },
      { crd: 'migrationpolicies.migrations.kubevirt.io', version: 'v1alpha1', file: 'migration-policy' },
      { crd: 'virtualmachineinstancetypes.instancetype.kubevirt.io', version: 'v1beta1', file: 'virtual-machine-instancetype', named: { 'spec': 'VirtualMachineInstancetypeSpec' } },
      {
        crd: 'virtualmachineclusterinstancetypes.instancetype.kubevirt.io',
        version: 'v1beta1',
        file: 'virtual-machine-cluster-instancetype',
        refs: { 'spec': 'VirtualMachineInstancetypeSpec' },
      },
      { crd: 'virtualmachinepreferences.instancetype.kubevirt.io', version: 'v1beta1', file: 'virtual-machine-preference', named: { 'spec': 'VirtualMachinePreferenceSpec' } },
      {
        crd: 'virtualmachineclusterpreferences.instancetype.kubevirt.io',
        version: 'v1beta1',
        file: 'virtual-machine-cluster-preference',
        refs: { 'spec': 'VirtualMachinePreferenceSpec' },
      },
      { crd: 'virtualmachinesnapshots.snapshot.kubevirt.io', version: 'v1beta1', file: 'virtual-machine-snapshot' },
      {
        crd: 'virtualmachinesnapshotcontents.snapshot.kubevirt.io',
        version: 'v1beta1',
        file: 'virtual-machine-snapshot-content',
        refs: { 'spec.source.virtualMachine.spec': 'VirtualMachineSpec' },
      },
      { crd: 'virtualmachinerestores.snapshot.kubevirt.io', version: 'v1beta1', file: 'virtual-machine-restore' },
      { crd: 'kubevirts.kubevirt.io', version: 'v1', file: 'kube-virt', named: { 'spec.configuration': 'KubeVirtConfiguration' } },
    ],
  },
  {
    folder: 'multus',
    modules: ['github.com/k8snetworkplumbingwg/network-attachment-definition-client', 'github.com/k8snetworkplumbingwg/multi-networkpolicy'],
    groups: ['k8s.cni.cncf.io'],
    kinds: [
      { crd: 'network-attachment-definitions.k8s.cni.cncf.io', version: 'v1', file: 'network-attachment-definition' },
      { crd: 'multi-networkpolicies.k8s.cni.cncf.io', version: 'v1beta1', file: 'multi-network-policy' },
    ],
  },
  {
    folder: 'csi-snapshot',
    modules: ['github.com/kubernetes-csi/external-snapshotter/client/v8'],
    groups: ['snapshot.storage.k8s.io'],
    kinds: [
      { crd: 'volumesnapshots.snapshot.storage.k8s.io', version: 'v1', file: 'volume-snapshot' },
      { crd: 'volumesnapshotcontents.snapshot.storage.k8s.io', version: 'v1', file: 'volume-snapshot-content' },
      { crd: 'volumesnapshotclasses.snapshot.storage.k8s.io', version: 'v1', file: 'volume-snapshot-class' },
    ],
  },
  {
    folder: 'gateway',
    modules: ['sigs.k8s.io/gateway-api'],
    groups: ['gateway.networking.k8s.io'],
    kinds: [
      { crd: 'gatewayclasses.gateway.networking.k8s.io', version: 'v1', file: 'gateway-class' },
      { crd: 'gateways.gateway.networking.k8s.io', version: 'v1', file: 'gateway' },
      { crd: 'httproutes.gateway.networking.k8s.io', version: 'v1', file: 'http-route' },
      { crd: 'grpcroutes.gateway.networking.k8s.io', version: 'v1', file: 'grpc-route' },
      { crd: 'referencegrants.gateway.networking.k8s.io', version: 'v1', file: 'reference-grant' },
      { crd: 'backendtlspolicies.gateway.networking.k8s.io', version: 'v1', file: 'backend-tls-policy' },
      { crd: 'listenersets.gateway.networking.k8s.io', version: 'v1', file: 'listener-set' },
      { crd: 'tlsroutes.gateway.networking.k8s.io', version: 'v1', file: 'tls-route' },
      { crd: 'tcproutes.gateway.networking.k8s.io', version: 'v1', file: 'tcp-route' },
      { crd: 'udproutes.gateway.networking.k8s.io', version: 'v1', file: 'udp-route' },
    ],
  },
];

/** The API a CRD (by name: <plural>.<group>) belongs to. */
export function apiOfCrd(name: string): ContractApi | undefined {
  const group = name.slice(name.indexOf('.') + 1);
  return contractApis.find((a) => a.groups.includes(group));
}
