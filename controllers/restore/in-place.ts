// Whether a Snapshot may be restored in place over a VM: it was taken of that
// very VM (same uid), and each disk it holds is still the same claim on the
// VM — otherwise restoring would write over data the VM no longer names.
import type { Snapshot, VirtualMachine } from '../../pkg/api/types.generated.js';
import { stuck, Stuck, type Problem } from '../shared/problems.js';
import { rootDiskDataVolume } from '../virtualmachine/root-disk.js';

/** `claimOf` resolves a Volume name to the claim holding its data. */
export function diskClaims(vm: VirtualMachine, claimOf: (volume: string) => string): Map<string, string> {
  const claims = new Map<string, string>();
  if (vm.spec.rootDisk.volume) claims.set('rootdisk', claimOf(vm.spec.rootDisk.volume));
  else if (vm.spec.rootDisk.diskImage) claims.set('rootdisk', rootDiskDataVolume(vm));
  for (const d of vm.spec.disks ?? []) claims.set(d.name, d.volume ? claimOf(d.volume) : `${vm.metadata.name}-${d.name}`);
  return claims;
}

export function inPlaceProblem(snapshot: Snapshot, vm: VirtualMachine | undefined, target: string, claims: Map<string, string>): Problem | undefined {
  const source = snapshot.spec.source;
  const name = snapshot.metadata.name;
  if (!source.virtualMachine) return stuck(Stuck.InvalidTarget, `Snapshot ${name} is of Volume ${source.volume}, not of a VirtualMachine: make a Volume from it (source.snapshot)`);
  if (source.virtualMachine !== target) {
    return stuck(Stuck.InvalidTarget, `Snapshot ${name} was taken of VirtualMachine ${source.virtualMachine}: a restore in place writes only over the VM it was taken of; restore into a new VM (target.newVirtualMachine)`);
  }
  if (!vm) return stuck(Stuck.InvalidTarget, `VirtualMachine ${target} does not exist: restore into a new VM (target.newVirtualMachine)`);
  if (snapshot.status?.sourceUID && vm.metadata.uid !== snapshot.status.sourceUID) {
    return stuck(Stuck.InvalidTarget, `VirtualMachine ${target} was made again since Snapshot ${name} was taken: it is not that VM; restore into a new VM (target.newVirtualMachine)`);
  }
  const moved = (snapshot.status?.volumes ?? []).filter((v) => claims.get(v.name) !== v.claimName);
  if (moved.length) {
    const what = moved.map((v) => `${v.name} (claim ${v.claimName} in the Snapshot, ${claims.get(v.name) ?? 'no such disk'} now)`).join(', ');
    return stuck(Stuck.InvalidTarget, `the VM's disks changed since the Snapshot: ${what}; restoring in place would write over what the VM does not name; restore into a new VM (target.newVirtualMachine)`);
  }
  return undefined;
}
