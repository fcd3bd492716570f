// Resource types of Kubernetes itself, by group/version/resource. The
// third-party APIs Stratus drives have theirs in pkg/contracts.
import { resourceType as t } from '../meta/resource.js';

export const Namespaces = t('', 'v1', 'namespaces', 'Namespace', false);
export const Nodes = t('', 'v1', 'nodes', 'Node', false);
export const Pods = t('', 'v1', 'pods', 'Pod');
export const Services = t('', 'v1', 'services', 'Service');
export const Secrets = t('', 'v1', 'secrets', 'Secret');
export const ConfigMaps = t('', 'v1', 'configmaps', 'ConfigMap');
export const ServiceAccounts = t('', 'v1', 'serviceaccounts', 'ServiceAccount');
export const ClusterRoleBindings = t('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false);
export const PersistentVolumeClaims = t('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim');
export const PersistentVolumes = t('', 'v1', 'persistentvolumes', 'PersistentVolume', false);
export const CoreEvents = t('', 'v1', 'events', 'Event');
export const Events = t('events.k8s.io', 'v1', 'events', 'Event');
export const Deployments = t('apps', 'v1', 'deployments', 'Deployment');
export const ReplicaSets = t('apps', 'v1', 'replicasets', 'ReplicaSet');
export const ControllerRevisions = t('apps', 'v1', 'controllerrevisions', 'ControllerRevision');
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
export const MutatingAdmissionPolicies = t('admissionregistration.k8s.io', 'v1', 'mutatingadmissionpolicies', 'MutatingAdmissionPolicy', false);
export const MutatingAdmissionPolicyBindings = t('admissionregistration.k8s.io', 'v1', 'mutatingadmissionpolicybindings', 'MutatingAdmissionPolicyBinding', false);
export const ValidatingAdmissionPolicies = t('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy', false);
export const ValidatingAdmissionPolicyBindings = t('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', false);
export const MutatingWebhookConfigurations = t('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false);
export const ValidatingWebhookConfigurations = t('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false);
export const APIServices = t('apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false);
export const HorizontalPodAutoscalers = t('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler');
export const PodMetrics = t('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics');
export const NodeMetrics = t('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false);
