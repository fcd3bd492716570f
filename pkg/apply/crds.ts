// Applies CustomResourceDefinitions and waits until the apiserver serves them.
import type { Client } from '../runtime/client/client.js';
import type { Condition, KubeObject } from '../meta/object.js';
import { sleep } from '../util/sleep.js';
import { CustomResourceDefinitions } from '../kube/resources.js';

function established(crd: KubeObject): boolean {
  const conditions = ((crd.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

export async function installCrds(client: Client, crds: KubeObject[], timeoutMs = 30_000): Promise<void> {
  await Promise.all(crds.map((crd) => client.apply(CustomResourceDefinitions, crd, { force: true })));
  await waitForCrdsEstablished(client, crds.map((c) => c.metadata.name!), timeoutMs);
}

export async function waitForCrdsEstablished(client: Client, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(names);
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const crd = await client.tryGet(CustomResourceDefinitions, undefined, name);
      if (crd && established(crd)) pending.delete(name);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new Error(`CRDs not Established after ${timeoutMs / 1000}s: ${[...pending].join(', ')}`);
    await sleep(100);
  }
}
