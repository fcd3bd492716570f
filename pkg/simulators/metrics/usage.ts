// What the simulated metrics-server reports a pod uses. A ConfigMap named
// stratus-sim-load in the pod's namespace sets the load: each value is a
// total CPU and a label selector, e.g. `web: "1500m stratus.dev/app=web"`;
// the selected running pods share the total evenly. Pods no entry selects
// use 10% of their CPU request. Memory is half the request.
import type { Pod } from '../../kube/core-types.js';
import { formatMilliQuantity, milliValue, parseQuantity } from '../../kube/quantity.js';
import { stringSelectorMatcher } from '../../meta/labels.js';

export const loadConfigMap = 'stratus-sim-load';

export interface ContainerUsage {
  name: string;
  usage: { cpu: string; memory: string };
}

export function isRunning(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).some((c) => c.state.running);
}

function requested(pod: Pod, resource: 'cpu' | 'memory'): number[] {
  return pod.spec.containers.map((c) => {
    const q = c.resources?.requests?.[resource];
    return q ? Number(milliValue(q)) : 0;
  });
}

/** "1500m stratus.dev/app=web" → total and selector; undefined for entries that do not parse. */
export function parseLoad(entry: string): { cpuMilli: number; matches: (labels: Record<string, string> | undefined) => boolean } | undefined {
  const [total, ...rest] = entry.trim().split(/\s+/);
  try {
    return { cpuMilli: Number(milliValue(total!)), matches: stringSelectorMatcher(rest.join(' ')) };
  } catch {
    return undefined;
  }
}

/**
 * Usage per container, in milli-units. `load` is the namespace's load table
 * (selector → total CPU); `pods` are the namespace's running pods, to share
 * a total among.
 */
export function podUsage(pod: Pod, load: Record<string, string>, pods: Pod[]): ContainerUsage[] {
  const cpuRequests = requested(pod, 'cpu');
  const memRequests = requested(pod, 'memory');
  let podCpu: number | undefined;
  for (const entry of Object.values(load)) {
    const parsed = parseLoad(entry);
    if (!parsed || !parsed.matches(pod.metadata.labels)) continue;
    const sharing = pods.filter((p) => parsed.matches(p.metadata.labels)).length || 1;
    podCpu = parsed.cpuMilli / sharing;
    break;
  }
  const totalRequest = cpuRequests.reduce((a, b) => a + b, 0);
  return pod.spec.containers.map((c, i) => {
    // A pod's share goes to its containers in proportion to their requests.
    const cpu = podCpu === undefined ? Math.max(1, cpuRequests[i]! / 10) : totalRequest ? (podCpu * cpuRequests[i]!) / totalRequest : podCpu / pod.spec.containers.length;
    const memory = memRequests[i]! ? memRequests[i]! / 2 : 32 * 2 ** 20 * 1000;
    return { name: c.name, usage: { cpu: formatMilliQuantity(Math.round(cpu)), memory: formatMilliQuantity(Math.round(memory / 1000) * 1000, 'BinarySI') } };
  });
}

/** Sums container usages (for node metrics). */
export function sumUsage(usages: ContainerUsage[]): { cpu: string; memory: string } {
  let cpu = 0;
  let memory = 0;
  for (const u of usages) {
    cpu += parseQuantity(u.usage.cpu);
    memory += parseQuantity(u.usage.memory);
  }
  return { cpu: formatMilliQuantity(Math.round(cpu * 1000)), memory: formatMilliQuantity(Math.round(memory) * 1000, 'BinarySI') };
}
