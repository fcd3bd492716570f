// Which Volumes, Networks and DiskImages a VirtualMachine, App or Volume
// uses: the indexes that let a Volume, Network or DiskImage controller find
// its users, and a user controller find what it waits for.
import type { App, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';

export const volumeIndex = 'stratus-volumes';
export const networkIndex = 'stratus-networks';
export const diskImageIndex = 'stratus-diskimages';

export function volumesOfVm(vm: VirtualMachine): string[] {
  const names = [vm.spec.rootDisk?.volume, ...(vm.spec.disks ?? []).map((d) => d.volume)];
  return [...new Set(names.filter((n): n is string => !!n))];
}

export function volumesOfApp(app: App): string[] {
  return [...new Set((app.spec.volumes ?? []).map((v) => v.name))];
}

export function diskImagesOfVm(vm: VirtualMachine): string[] {
  return vm.spec.rootDisk?.diskImage ? [vm.spec.rootDisk.diskImage] : [];
}

export function diskImagesOfVolume(volume: Volume): string[] {
  return volume.spec.source?.diskImage ? [volume.spec.source.diskImage.name] : [];
}

export function networksOfVm(vm: VirtualMachine): string[] {
  return [...new Set((vm.spec.networks ?? []).map((n) => n.network).filter((n): n is string => !!n))];
}

export function networksOfApp(app: App): string[] {
  return [...new Set((app.spec.networks ?? []).map((n) => n.network))];
}

/** Index values are namespace/name, so lookups never cross namespaces. */
export function inNamespace(namespace: string | undefined, names: string[]): string[] {
  return names.map((n) => `${namespace}/${n}`);
}
