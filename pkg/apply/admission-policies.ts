// Applies ValidatingAdmissionPolicies and their bindings, then waits until
// the apiserver has type-checked every policy (its status), failing on any
// warning: a policy that does not compile would refuse every request.
// MutatingAdmissionPolicies are applied where the cluster serves them, and
// waited for until they are in effect.
import { isNotFound, isServiceUnavailable } from '../runtime/client/api-error.js';
import type { Client } from '../runtime/client/client.js';
import type { KubeObject } from '../meta/object.js';
import type { ResourceType } from '../meta/resource.js';
import { sleep } from '../util/sleep.js';
import { MutatingAdmissionPolicies, MutatingAdmissionPolicyBindings, ValidatingAdmissionPolicies, ValidatingAdmissionPolicyBindings } from '../kube/resources.js';

const types: Record<string, ResourceType> = {
  ValidatingAdmissionPolicy: ValidatingAdmissionPolicies,
  ValidatingAdmissionPolicyBinding: ValidatingAdmissionPolicyBindings,
  MutatingAdmissionPolicy: MutatingAdmissionPolicies,
  MutatingAdmissionPolicyBinding: MutatingAdmissionPolicyBindings,
};
const typeOf = (o: KubeObject): ResourceType => types[o.kind!]!;

export async function installAdmissionPolicies(client: Client, objects: KubeObject[], timeoutMs = 30_000): Promise<void> {
  await Promise.all(objects.map((o) => client.apply(typeOf(o), o, { force: true })));
  const deadline = Date.now() + timeoutMs;
  for (const policy of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy')) {
    for (;;) {
      const live = await client.tryGet(ValidatingAdmissionPolicies, undefined, policy.metadata.name!);
      const status = live?.status as { observedGeneration?: number; typeChecking?: { expressionWarnings?: { fieldRef: string; warning: string }[] } } | undefined;
      if (live && status?.observedGeneration === live.metadata.generation) {
        const warnings = status?.typeChecking?.expressionWarnings ?? [];
        if (warnings.length) throw new Error(`admission policy ${policy.metadata.name}: ${warnings.map((w) => `${w.fieldRef}: ${w.warning}`).join('; ')}`);
        break;
      }
      if (Date.now() > deadline) throw new Error(`admission policy ${policy.metadata.name} not checked by the apiserver after ${timeoutMs / 1000}s`);
      await sleep(100);
    }
  }
}

/**
 * Applies MutatingAdmissionPolicies and their bindings. A cluster before
 * Kubernetes 1.36 does not serve them (404): nothing is applied, and what
 * they would do is left to the controllers. Says whether they were applied.
 */
export async function installMutatingPolicies(client: Client, objects: KubeObject[]): Promise<boolean> {
  try {
    await Promise.all(objects.map((o) => client.apply(typeOf(o), o, { force: true })));
    return true;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return false;
  }
}

/** An object to create in a server dry run, and the finalizer a policy should put on it. */
export interface FinalizerProbe {
  type: ResourceType;
  object: KubeObject;
  finalizer: string;
}

/**
 * Waits until each probe, created in a server dry run, comes back carrying its
 * finalizer. Mutating policies have no status to wait for, and two things lag
 * behind their creation: the apiserver loads a policy from its own informer,
 * and it mutates a kind only once it has the kind's schema, which it reads
 * from /openapi/v3 every 10 s. Until then a create of a newly installed kind
 * that a policy matches is refused with 503 "Resource kind … not found",
 * whatever the policy's failurePolicy, so a user's first apply would fail.
 */
export async function waitForFinalizerPolicies(client: Client, probes: FinalizerProbe[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    probes.map(async ({ type, object, finalizer }) => {
      for (;;) {
        let seen: string;
        try {
          const created = await client.create(type, object, { dryRun: true });
          if (created.metadata.finalizers?.includes(finalizer)) return;
          seen = `a new ${type.kind} does not carry ${finalizer} yet`;
        } catch (err) {
          if (!isServiceUnavailable(err)) throw new Error(`checking that a new ${type.kind} gets ${finalizer}: ${(err as Error).message}`);
          seen = (err as Error).message;
        }
        if (Date.now() > deadline) throw new Error(`finalizer policy for ${type.resource} not in effect after ${timeoutMs / 1000}s: ${seen}`);
        await sleep(250);
      }
    }),
  );
}
