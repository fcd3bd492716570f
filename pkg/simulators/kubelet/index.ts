// The simulated kubelet: node registration and leases, pod scheduling
// (standing in for kube-scheduler), pod lifecycle, and Multus network status.
import type { PersistentVolumeClaim, Pod } from '../../kube/core-types.js';
import { Nodes, PersistentVolumeClaims, Pods, StorageClasses } from '../../kube/resources.js';
import { NetworkAttachmentDefinitions, networksAnnotation, parseNetworks } from '../../contracts/multus/index.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped, enqueueObject } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../meta/object.js';
import { StageClock } from '../clock.js';
import { NodeAgent } from './node-agent.js';
import { defaultKubeletOptions, type KubeletSimOptions } from './options.js';
import { PodRunnerReconciler } from './pod-runner.js';
import { needsScheduling, podsByClaim, podsByNode, SchedulerReconciler } from './scheduler.js';
import { claimNames } from './volume-binding.js';

export { realisticKubelet, type KubeletSimOptions } from './options.js';

function referencesNetwork(pod: Pod, nad: KubeObject): boolean {
  try {
    return parseNetworks(pod.metadata.annotations?.[networksAnnotation], pod.metadata.namespace!).some(
      (s) => s.namespace === nad.metadata.namespace && s.name === nad.metadata.name,
    );
  } catch {
    return false;
  }
}

export function registerKubelet(mgr: Manager, options: Partial<KubeletSimOptions> = {}): void {
  const o: KubeletSimOptions = { ...defaultKubeletOptions, ...options };
  const log = mgr.log.child({ simulator: 'kubelet' });
  const kubelet = new Client(mgr.rest, 'kubelet');
  const pods = mgr.cache.informer<Pod>(Pods);
  pods.addIndex(podsByNode, (p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
  pods.addIndex(podsByClaim, (p) => claimNames(p).map((c) => `${p.metadata.namespace}/${c}`));
  const claims = mgr.cache.informer<PersistentVolumeClaim>(PersistentVolumeClaims);
  const classes = mgr.cache.informer(StorageClasses);
  const nodes = mgr.cache.informer(Nodes);
  const nads = mgr.cache.informer(NetworkAttachmentDefinitions);

  mgr.addRunnable(new NodeAgent(kubelet, o, log));

  const scheduler = new Controller({
    name: 'sim-kube-scheduler',
    reconciler: new SchedulerReconciler(new Client(mgr.rest, 'default-scheduler'), mgr.cache),
    logger: log,
  });
  scheduler.watch(pods, enqueueObject, (e) => e.type !== 'delete' && needsScheduling(e.obj));
  // A claim that binds (or appears, or gets its node) lets the pods waiting for it on.
  scheduler.watch(claims, enqueueMapped((c) => pods.indexer.byIndex(podsByClaim, keyOf(c)).filter(needsScheduling).map(keyOf)));
  // A node that appears or changes may make room for pods waiting to be scheduled; a StorageClass may say how their claims bind.
  for (const informer of [nodes, classes]) {
    scheduler.watch(
      informer,
      enqueueMapped(() => pods.list().filter(needsScheduling).map(keyOf)),
      (e) => e.type !== 'delete',
    );
  }
  mgr.add(scheduler);

  const runner = new Controller({
    name: 'sim-kubelet',
    reconciler: new PodRunnerReconciler(kubelet, mgr.cache, o, new StageClock(), new EventRecorder(kubelet, 'kubelet', 'stratus-sim', log), log),
    workers: 4,
    logger: log,
  });
  runner.watch(pods, enqueueObject, (e) => e.type !== 'delete' && !!e.obj.spec.nodeName);
  // A NetworkAttachmentDefinition that appears, or whose address range
  // grows, lets pods waiting for it start.
  runner.watch(
    nads,
    enqueueMapped((nad) => pods.list().filter((p) => p.status?.phase === 'Pending' && referencesNetwork(p, nad)).map(keyOf)),
    (e) => e.type !== 'delete',
  );
  mgr.add(runner);
}
