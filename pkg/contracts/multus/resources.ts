// Multus' NetworkAttachmentDefinition and the multi-networkpolicy project's
// MultiNetworkPolicy (k8s.cni.cncf.io), by group/version/resource.
import { resourceType as t } from '../../meta/resource.js';

export const NetworkAttachmentDefinitions = t('k8s.cni.cncf.io', 'v1', 'network-attachment-definitions', 'NetworkAttachmentDefinition');
export const MultiNetworkPolicies = t('k8s.cni.cncf.io', 'v1beta1', 'multi-networkpolicies', 'MultiNetworkPolicy');
