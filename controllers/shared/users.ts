// Who uses a Volume or Network, as status reports it: a bounded list (a
// Network may have thousands of VMs attached) and a count.

export interface User {
  kind: string;
  name: string;
}

export const maxListedUsers = 100;

export function listedUsers<T extends User>(users: T[]): T[] {
  return users.slice(0, maxListedUsers);
}

/** "VirtualMachine a, App b" — the first few, then how many more. */
export function describeUsers(users: User[], shown = 10): string {
  const named = users.slice(0, shown).map((u) => `${u.kind} ${u.name}`).join(', ');
  return users.length > shown ? `${named} and ${users.length - shown} more` : named;
}
