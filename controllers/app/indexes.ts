// Cache indexes of the App controller: which Apps depend on an object
// (dependsOn), and which pods belong to an App. Idempotent to register.
import { Apps } from '../../pkg/api/resources.js';
import type { App } from '../../pkg/api/types.generated.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { Pods } from '../../pkg/kube/resources.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { labelKeys } from '../shared/labels.js';

/** On Apps: "<kind>/<namespace>/<name>" of each dependsOn entry. */
export const dependencyIndex = 'stratus-app-dependencies';
/** On Pods: "<namespace>/<app>" from the stratus.dev/app label. */
export const appPodIndex = 'stratus-app-pods';

export function dependencyKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function dependenciesOfApp(app: App): string[] {
  return [...new Set((app.spec.dependsOn ?? []).map((d) => dependencyKey(d.kind, app.metadata.namespace, d.name)))];
}

export function appOfPod(pod: CachedPod): string[] {
  const app = pod.metadata.labels?.[labelKeys.app];
  return app ? [`${pod.metadata.namespace}/${app}`] : [];
}

export function registerAppIndexes(mgr: Manager): void {
  mgr.cache.informer<App>(Apps).addIndex(dependencyIndex, dependenciesOfApp);
  mgr.cache.informer<CachedPod>(Pods).addIndex(appPodIndex, appOfPod);
}
