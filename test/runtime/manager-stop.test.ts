// A manager stopped before its caches have synced (Ctrl-C right after
// start) stops cleanly: start() resolves, it does not fail.
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueObject } from '../../pkg/runtime/handler/handlers.js';
import { Manager } from '../../pkg/runtime/manager/manager.js';
import { sleep } from '../../pkg/util/sleep.js';
import { testKubeConfig } from '../support/kube.js';

// A kind no CRD serves: its list fails (404) and is retried, so it never syncs.
const Missing = { group: 'missing.test.stratus.dev', version: 'v1', resource: 'gizmos', kind: 'Gizmo', namespaced: true };

it('resolves start() when stopped while the caches are still syncing', async () => {
  const manager = new Manager({ kubeConfig: testKubeConfig(), namespace: 'manager-stop' });
  const controller = new Controller({ name: 'gizmos', reconciler: { reconcile: async () => {} } });
  controller.watch(manager.cache.informer(Missing), enqueueObject);
  manager.add(controller);
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  await sleep(1500);
  expect(manager.cache.hasSynced).toBe(false);
  stop.abort();
  await expect(running).resolves.toBeUndefined();
});
