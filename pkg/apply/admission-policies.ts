// Applies ValidatingAdmissionPolicies and their bindings, then waits until
// the apiserver has type-checked every policy (its status), failing on any
// warning: a policy that does not compile would refuse every request.
import type { Client } from '../runtime/client/client.js';
import type { KubeObject } from '../meta/object.js';
import { sleep } from '../util/sleep.js';
import { ValidatingAdmissionPolicies, ValidatingAdmissionPolicyBindings } from '../kube/resources.js';

const typeOf = (o: KubeObject) => (o.kind === 'ValidatingAdmissionPolicy' ? ValidatingAdmissionPolicies : ValidatingAdmissionPolicyBindings);

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
