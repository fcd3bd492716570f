// Resource types of Kubernetes itself and of the third-party projects Stratus
// drives (KubeVirt, CDI, Multus), by group/version/resource.
import type { ResourceType } from '../runtime/client/resource.js';

const t = (group: string, version: string, resource: string, kind: string, namespaced = true): ResourceType => ({
  group,
  version,
  resource,
  kind,
  namespaced,
});

export const Namespaces = t('', 'v1', 'namespaces', 'Namespace', false);
export const Nodes = t('', 'v1', 'nodes', 'Node', false);
export const Pods = t('', 'v1', 'pods', 'Pod');
export const Services = t('', 'v1', 'services', 'Service');
export const Secrets = t('', 'v1', 'secrets', 'Secret');
export const ConfigMaps = t('', 'v1', 'configmaps', 'ConfigMap');
export const ServiceAccounts = t('', 'v1', 'serviceaccounts', 'ServiceAccount');
export const PersistentVolumeClaims = t('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim');
export const PersistentVolumes = t('', 'v1', 'persistentvolumes', 'PersistentVolume', false);
export const CoreEvents = t('', 'v1', 'events', 'Event');
export const Events = t('events.k8s.io', 'v1', 'events', 'Event');
export const Deployments = t('apps', 'v1', 'deployments', 'Deployment');
export const ReplicaSets = t('apps', 'v1', 'replicasets', 'ReplicaSet');
export const Leases = t('coordination.k8s.io', 'v1', 'leases', 'Lease');
export const StorageClasses = t('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false);
export const NetworkPolicies = t('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy');
export const EndpointSlices = t('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice');
export const CustomResourceDefinitions = t(
  'apiextensions.k8s.io',
  'v1',
  'customresourcedefinitions',
  'CustomResourceDefinition',
  false,
);
export const ValidatingAdmissionPolicies = t('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy', false);
export const ValidatingAdmissionPolicyBindings = t('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', false);
export const APIServices = t('apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false);
export const HorizontalPodAutoscalers = t('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler');
export const PodMetrics = t('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics');
export const NodeMetrics = t('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false);

export const KubeVirtVirtualMachines = t('kubevirt.io', 'v1', 'virtualmachines', 'VirtualMachine');
export const KubeVirtVirtualMachineInstances = t('kubevirt.io', 'v1', 'virtualmachineinstances', 'VirtualMachineInstance');
export const VirtualMachinePools = t('pool.kubevirt.io', 'v1beta1', 'virtualmachinepools', 'VirtualMachinePool');
export const DataVolumes = t('cdi.kubevirt.io', 'v1beta1', 'datavolumes', 'DataVolume');
export const NetworkAttachmentDefinitions = t(
  'k8s.cni.cncf.io',
  'v1',
  'network-attachment-definitions',
  'NetworkAttachmentDefinition',
);
export const MultiNetworkPolicies = t('k8s.cni.cncf.io', 'v1beta1', 'multi-networkpolicies', 'MultiNetworkPolicy');
