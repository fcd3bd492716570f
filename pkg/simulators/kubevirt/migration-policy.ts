// Which MigrationPolicy applies to a VMI (pkg/util/migrations
// MatchPolicy): one whose namespace and VMI label selectors both match, the
// one matching the most labels winning, ties by name. Its settings override
// the cluster's for the migration. Pure.
import type { MigrationPolicy, VirtualMachineInstance } from '../../contracts/kubevirt/index.js';

function matched(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): number | undefined {
  const entries = Object.entries(selector ?? {});
  return entries.every(([k, v]) => labels?.[k] === v) ? entries.length : undefined;
}

export function policyFor(policies: MigrationPolicy[], vmi: VirtualMachineInstance, namespaceLabels: Record<string, string> | undefined): MigrationPolicy | undefined {
  let best: { policy: MigrationPolicy; score: number } | undefined;
  for (const policy of [...policies].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const ns = matched(policy.spec.selectors.namespaceSelector, namespaceLabels);
    const own = matched(policy.spec.selectors.virtualMachineInstanceSelector, vmi.metadata.labels);
    if (ns === undefined || own === undefined) continue;
    if (!best || ns + own > best.score) best = { policy, score: ns + own };
  }
  return best?.policy;
}
