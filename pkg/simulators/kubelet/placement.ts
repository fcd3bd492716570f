// Where the simulated scheduler puts a pod: a Ready, schedulable node whose
// labels match the pod's nodeSelector and required node affinity, whose
// NoSchedule taints the pod tolerates, where no pod its required pod
// anti-affinity excludes runs (in the same topology domain), and which has
// room for its requests.
// Among those, the least allocated (by CPU, then memory) wins, as the
// default scheduler's LeastAllocated scoring would choose.
import type { Node, Pod, PodAffinityTerm, Toleration } from '../../kube/core-types.js';
import { parseQuantity } from '../../kube/quantity.js';
import { selectorMatcher } from '../../meta/labels.js';

export interface NodeUsage {
  cpu: number;
  memory: number;
  pods: number;
}

export function podRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec.containers) {
    cpu += parseQuantity(c.resources?.requests?.cpu ?? '0');
    memory += parseQuantity(c.resources?.requests?.memory ?? '0');
  }
  return { cpu, memory };
}

function tolerates(tolerations: Toleration[] | undefined, taint: { key: string; value?: string; effect: string }): boolean {
  return (tolerations ?? []).some(
    (t) =>
      (!t.effect || t.effect === taint.effect) &&
      (t.operator === 'Exists' ? !t.key || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

function matchesAffinity(pod: Pod, labels: Record<string, string>): boolean {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  return terms.some((term) =>
    (term.matchExpressions ?? []).every((e) => {
      const has = e.key in labels;
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(labels[e.key]!);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(labels[e.key]!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'Gt':
          return has && Number(labels[e.key]) > Number(e.values?.[0]);
        case 'Lt':
          return has && Number(labels[e.key]) < Number(e.values?.[0]);
        default:
          return false;
      }
    }),
  );
}

/** Whether a pod the term selects runs in `node`'s topology domain (the nodes sharing its topologyKey label). */
function antiAffinityViolated(pod: Pod, term: PodAffinityTerm, node: Node, nodes: Node[], podsOn: (node: string) => Pod[]): boolean {
  const domain = node.metadata.labels?.[term.topologyKey];
  if (domain === undefined) return false;
  const matches = selectorMatcher({ matchLabels: term.labelSelector?.matchLabels, matchExpressions: term.labelSelector?.matchExpressions });
  const namespaces = term.namespaces?.length ? term.namespaces : [pod.metadata.namespace];
  return nodes
    .filter((n) => n.metadata.labels?.[term.topologyKey] === domain)
    .some((n) =>
      podsOn(n.metadata.name!).some(
        (p) => p.metadata.uid !== pod.metadata.uid && namespaces.includes(p.metadata.namespace) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && matches(p.metadata.labels),
      ),
    );
}

export type Placement = { node: string } | { unschedulable: string };

/** `podsOn` lists the pods bound to a node (for pod anti-affinity). */
export function placePod(pod: Pod, nodes: Node[], usage: Map<string, NodeUsage>, podsOn: (node: string) => Pod[] = () => []): Placement {
  const want = podRequests(pod);
  const reasons = new Map<string, number>();
  const reject = (reason: string): void => void reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  let best: { name: string; score: number } | undefined;
  for (const node of nodes) {
    const name = node.metadata.name!;
    const labels = node.metadata.labels ?? {};
    const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (!ready) {
      reject("node(s) had untolerated taint {node.kubernetes.io/not-ready: }");
      continue;
    }
    if (node.spec?.unschedulable) {
      reject('node(s) were unschedulable');
      continue;
    }
    const taint = (node.spec?.taints ?? []).find(
      (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec.tolerations, t),
    );
    if (taint) {
      reject(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      continue;
    }
    const selector = pod.spec.nodeSelector ?? {};
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v) || !matchesAffinity(pod, labels)) {
      reject("node(s) didn't match Pod's node affinity/selector");
      continue;
    }
    const antiAffinity = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (antiAffinity.some((term) => antiAffinityViolated(pod, term, node, nodes, podsOn))) {
      reject("node(s) didn't match pod anti-affinity rules");
      continue;
    }
    const allocatable = node.status?.allocatable ?? {};
    const used = usage.get(name) ?? { cpu: 0, memory: 0, pods: 0 };
    const cpuCap = parseQuantity(allocatable.cpu ?? '0');
    const memCap = parseQuantity(allocatable.memory ?? '0');
    const podCap = parseQuantity(allocatable.pods ?? '0');
    if (used.pods + 1 > podCap) {
      reject('Too many pods');
      continue;
    }
    if (used.cpu + want.cpu > cpuCap) {
      reject('Insufficient cpu');
      continue;
    }
    if (used.memory + want.memory > memCap) {
      reject('Insufficient memory');
      continue;
    }
    const score = (used.cpu + want.cpu) / (cpuCap || 1) + (used.memory + want.memory) / (memCap || 1) + used.pods / (podCap || 1);
    if (!best || score < best.score) best = { name, score };
  }
  if (best) return { node: best.name };
  const detail = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).join(', ');
  return {
    unschedulable:
      `0/${nodes.length} nodes are available: ${detail || 'no nodes registered'}. ` +
      `preemption: 0/${nodes.length} nodes are available: ${nodes.length} No preemption victims found for incoming pod.`,
  };
}
