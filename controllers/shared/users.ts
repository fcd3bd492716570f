// Who uses a Volume or Network: the VirtualMachines and Apps whose spec names
// it (through the reference indexes), and how status reports them — a bounded
// list (a Network may have thousands of VMs attached) and a count.
import { Apps, VirtualMachines } from '../../pkg/api/resources.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import type { networkIndex, volumeIndex } from './references.js';

export interface User {
  kind: string;
  name: string;
}

export const maxListedUsers = 100;

/** The VMs and Apps naming the object (namespace/name) in the given reference index, by kind and name. */
export function usersOf(cache: Cache, index: typeof volumeIndex | typeof networkIndex, key: string): User[] {
  const named = (kind: string) => (o: KubeObject) => ({ kind, name: o.metadata.name! });
  const vms = cache.byIndex(VirtualMachines, index, key).map(named('VirtualMachine'));
  const apps = cache.byIndex(Apps, index, key).map(named('App'));
  return [...vms, ...apps].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export function listedUsers<T extends User>(users: T[]): T[] {
  return users.slice(0, maxListedUsers);
}

/** "VirtualMachine a, App b" — the first few, then how many more. */
export function describeUsers(users: User[], shown = 10): string {
  const named = users.slice(0, shown).map((u) => `${u.kind} ${u.name}`).join(', ');
  return users.length > shown ? `${named} and ${users.length - shown} more` : named;
}
