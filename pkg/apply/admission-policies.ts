// Applies ValidatingAdmissionPolicies and their bindings, then waits until
// the apiserver has type-checked every policy (its status), failing on any
// warning: a policy that does not compile would refuse every request.
// MutatingAdmissionPolicies are applied where the cluster serves them.
import { isNotFound } from '../runtime/client/api-error.js';
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
 * they would do is left to the controllers. They have no status to wait for.
 */
export async function installMutatingPolicies(client: Client, objects: KubeObject[]): Promise<void> {
  try {
    await Promise.all(objects.map((o) => client.apply(typeOf(o), o, { force: true })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
