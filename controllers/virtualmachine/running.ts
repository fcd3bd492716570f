// What a VM's running instances tell the template and the status (pure):
// the secondary interfaces they still have that the spec dropped (unplugged
// live: the template keeps them with state absent until they are gone), and
// whether they can live-migrate.
import type { VirtualMachineInstance, VmiInterface, VmiNetwork } from '../../pkg/contracts/kubevirt/index.js';
import { conditionOf } from '../../pkg/contracts/kubevirt/index.js';
import type { ResolvedInterface } from './addressing.js';
import type { VmObservation } from './status.js';

/** Bridge interfaces on secondary networks the instances have and `wanted` does not name, as the first instance has them. */
export function unpluggingFrom(vmis: VirtualMachineInstance[], wanted: ResolvedInterface[]): { iface: VmiInterface; network: VmiNetwork }[] {
  const names = new Set(wanted.map((i) => i.name));
  const out = new Map<string, { iface: VmiInterface; network: VmiNetwork }>();
  for (const vmi of vmis) {
    for (const iface of vmi.spec.domain.devices?.interfaces ?? []) {
      const network = vmi.spec.networks?.find((n) => n.name === iface.name);
      if (names.has(iface.name) || out.has(iface.name) || !iface.bridge || !network?.multus) continue;
      const { state: _state, ...rest } = iface;
      out.set(iface.name, { iface: rest, network });
    }
  }
  return [...out.values()];
}

/** LiveMigratable as the instances report it: True when all can move, else the first that cannot, with KubeVirt's reason. */
export function migratabilityOf(vmis: VirtualMachineInstance[]): VmObservation['migratable'] {
  // By name: a group reports the same member's reason whatever order the cache lists them in (after a restart too).
  const byName = [...vmis].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  const reported = byName.map((v) => conditionOf(v, 'LiveMigratable')).filter((c) => !!c);
  if (!reported.length) return undefined;
  const blocked = reported.find((c) => c.status !== 'True');
  if (blocked) return { status: 'False', reason: blocked.reason || 'NotMigratable', message: blocked.message || 'KubeVirt cannot migrate it' };
  return { status: 'True', reason: 'Migratable', message: 'KubeVirt can move it to another node live' };
}
