// How one shape of VirtualMachine — a single VM, or a group — is brought to
// its spec once its Volumes and Networks are resolved (resolve.ts): its own
// children, what KubeVirt reports of them, and restarts. The Secrets and the
// Service are the same for both (children below).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import { Secrets, Services } from '../../pkg/kube/resources.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { ReconcileContext } from '../../pkg/runtime/controller/types.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import {applyChild } from '../shared/children.js';
import type { Resolved } from './resolve.js';
import { cloudInitSecretName, desiredCloudInitSecret, desiredSshSecret, sshSecretName } from './secrets.js';
import { desiredService, serviceName } from './service.js';
import type { VmObservation } from './status.js';
import type { ResolvedReferences, Shape } from './template.js';

export interface VmShape {
  /** Writes the shape's children (addresses first); false, with the problem noted in `o`, while something is missing. */
  apply(vm: VirtualMachine, resolved: Resolved, o: VmObservation): Promise<boolean>;
  /** Notes in `o` what KubeVirt reports of the shape's objects (also while something is missing). */
  observe(vm: VirtualMachine, o: VmObservation): void;
  /** Carries out a restart the spec asks for; only once the children are written. */
  restart(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void>;
  /** Carries out a move the spec asks for (and a group's drain); only once the children are written. */
  move(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void>;
}

async function deleteOwned(client: Client, cache: Cache, vm: VirtualMachine, type: typeof Services, name: string): Promise<void> {
  const existing = cache.get(type, vm.metadata.namespace, name);
  if (existing && isControlledBy(existing, vm.metadata.uid)) await client.deleteExact(type, existing);
}

/** The Secrets (before the KubeVirt objects: KubeVirt reads them when an instance starts). */
export async function applySecrets(client: Client, cache: Cache, vm: VirtualMachine, refs: ResolvedReferences, shape: Shape): Promise<void> {
  for (const [name, secret] of [
    [sshSecretName(vm), desiredSshSecret(vm)],
    [cloudInitSecretName(vm), desiredCloudInitSecret(vm, refs, shape)],
  ] as const) {
    if (secret) await applyChild(client, cache, Secrets, vm, secret);
    else await deleteOwned(client, cache, vm, Secrets, name);
  }
}

/** The Service for the ports, when there are any. */
export async function applyService(client: Client, cache: Cache, vm: VirtualMachine, o: VmObservation): Promise<void> {
  const service = desiredService(vm);
  if (!service) return deleteOwned(client, cache, vm, Services, serviceName(vm));
  await applyChild(client, cache, Services, vm, service);
  o.serviceName = serviceName(vm);
}
