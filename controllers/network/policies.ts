// One rule set, two enforcement points: a NetworkPolicy guards the members'
// pod-network interfaces, a MultiNetworkPolicy their interfaces on the
// Network itself.
import type { EgressRule, IngressRule, LabelSelector, Network, RulePeer, RulePort } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { childLabels, labelKeys, networkMemberLabel } from '../shared/labels.js';
import { nadName } from '../ipam/attachments.js';

const policyForAnnotation = 'k8s.v1.cni.cncf.io/policy-for';

/** What a peer means in a policy: a selector of pods or a block of addresses. */
type PolicyPeer = { podSelector: LabelSelector } | { ipBlock: { cidr: string } };

export function policyName(network: Network): string {
  return `stratus-network-${network.metadata.name}`;
}

function withLabel(selector: LabelSelector, key: string): LabelSelector {
  return { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), { key, operator: 'Exists' }] };
}

/**
 * Peers for one enforcement point. On the pod network a Network peer is its
 * member pods; on the Network's own interfaces it is the peer Network's CIDR.
 * `cidrOf` returns undefined for a Network that does not exist (yet).
 */
function peers(list: RulePeer[] | undefined, secondary: boolean, cidrOf: (network: string) => string | undefined): PolicyPeer[] | undefined {
  if (!list?.length) return undefined;
  return list.flatMap((p): PolicyPeer[] => {
    if (p.cidr) return [{ ipBlock: { cidr: p.cidr } }];
    if (p.network) {
      if (!secondary) return [{ podSelector: { matchLabels: { [networkMemberLabel(p.network)]: 'true' } } }];
      const cidr = cidrOf(p.network);
      return cidr ? [{ ipBlock: { cidr } }] : [];
    }
    if (p.apps) return [{ podSelector: withLabel(p.apps, labelKeys.app) }];
    if (p.virtualMachines) return [{ podSelector: withLabel(p.virtualMachines, labelKeys.virtualMachine) }];
    return [];
  });
}

function ports(list: RulePort[] | undefined): Record<string, unknown>[] | undefined {
  return list?.length ? list.map((p) => ({ protocol: p.protocol, ...(p.port ? { port: p.port } : {}), ...(p.endPort ? { endPort: p.endPort } : {}) })) : undefined;
}

function policySpec(network: Network, secondary: boolean, cidrOf: (network: string) => string | undefined): Record<string, unknown> {
  const rules = network.spec.rules ?? {};
  const policyTypes: string[] = [];
  const spec: Record<string, unknown> = { podSelector: { matchLabels: { [networkMemberLabel(network.metadata.name!)]: 'true' } } };
  if (rules.ingress) {
    policyTypes.push('Ingress');
    spec.ingress = rules.ingress.map((r: IngressRule) => ({ ...(r.from?.length ? { from: peers(r.from, secondary, cidrOf) } : {}), ...(r.ports?.length ? { ports: ports(r.ports) } : {}) }));
  }
  if (rules.egress) {
    policyTypes.push('Egress');
    spec.egress = rules.egress.map((r: EgressRule) => ({ ...(r.to?.length ? { to: peers(r.to, secondary, cidrOf) } : {}), ...(r.ports?.length ? { ports: ports(r.ports) } : {}) }));
  }
  spec.policyTypes = policyTypes;
  return spec;
}

export function hasRules(network: Network): boolean {
  return !!(network.spec.rules?.ingress || network.spec.rules?.egress);
}

/** Network peers a rule names, which must exist for the MultiNetworkPolicy. */
export function peerNetworks(network: Network): string[] {
  const rules = network.spec.rules ?? {};
  const all = [...(rules.ingress ?? []).flatMap((r) => r.from ?? []), ...(rules.egress ?? []).flatMap((r) => r.to ?? [])];
  return [...new Set(all.map((p) => p.network).filter((n): n is string => !!n && n !== network.metadata.name))];
}

export function desiredNetworkPolicy(network: Network, cidrOf: (n: string) => string | undefined): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: policyName(network), namespace: network.metadata.namespace, labels: childLabels('network', network.metadata.name!) },
    spec: policySpec(network, false, cidrOf),
  };
}

export function desiredMultiNetworkPolicy(network: Network, cidrOf: (n: string) => string | undefined): KubeObject {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1beta1',
    kind: 'MultiNetworkPolicy',
    metadata: {
      name: policyName(network),
      namespace: network.metadata.namespace,
      labels: childLabels('network', network.metadata.name!),
      annotations: { [policyForAnnotation]: `${network.metadata.namespace}/${nadName(network)}` },
    },
    spec: policySpec(network, true, (n) => (n === network.metadata.name ? network.spec.cidr : cidrOf(n))),
  };
}
