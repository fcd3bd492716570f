// App tests run the whole operator, scoped to the test's namespace; the
// examples' Scalers are left out so the tests alone decide replica counts.
import { Apps } from '../../pkg/api/resources.js';
import type { App } from '../../pkg/api/types.generated.js';
import type { Deployment } from '../../pkg/kube/core-types.js';
import { Deployments } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { Condition, KubeObject } from '../../pkg/meta/object.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { eventually } from '../support/kube.js';
import { exampleIn } from '../support/operator.js';

export { startTestOperator as startAppOperator } from '../support/operator.js';

/** An example's objects in `namespace`, without Scalers. */
export function appExampleIn(file: string, namespace: string): KubeObject[] {
  return exampleIn(file, namespace).filter((o) => o.kind !== 'Scaler');
}

/** The Deployments of an App's revisions, oldest first. */
export async function revisionDeployments(client: Client, namespace: string, app: string): Promise<Deployment[]> {
  const list = await client.list<Deployment>(Deployments, { namespace, labelSelector: `stratus.dev/app=${app},stratus.dev/revision` });
  return list.items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

/** The Deployment of an App's latest revision, if it has one. */
export async function latestDeployment(client: Client, namespace: string, app: string): Promise<Deployment | undefined> {
  return (await revisionDeployments(client, namespace, app)).at(-1);
}

/** A condition of a Stratus object's status. */
export function condition(o: { status?: { conditions?: Condition[] } }, type: string): Condition | undefined {
  return findCondition(o.status?.conditions, type);
}

/** Ready, for the App's current generation. */
export function readyNow(a: App): boolean {
  return condition(a, 'Ready')?.status === 'True' && a.status?.observedGeneration === a.metadata.generation;
}

/** The App once `test` holds for it. */
export function waitForApp(client: Client, namespace: string, name: string, test: (a: App) => boolean, what: string, timeoutMs = 60_000): Promise<App> {
  return eventually(async () => {
    const a = await client.get<App>(Apps, namespace, name);
    return test(a) ? a : undefined;
  }, timeoutMs, what);
}
