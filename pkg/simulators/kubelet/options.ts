// How the simulated kubelet (and the scheduler and Multus duties it plays)
// behaves. Defaults are fast, for a laptop and for tests; `realisticKubelet`
// has the timings of a real node pulling cached images.

export interface KubeletSimOptions {
  /** Node objects to register: stratus-node-1 … stratus-node-N. */
  nodes: number;
  nodeCpu: string;
  nodeMemory: string;
  nodePods: number;
  /** From binding to containers running (sandbox, image pull, start). */
  startDelayMs: number;
  /** From running to Ready, for containers without a readiness probe delay. */
  readyDelayMs: number;
  /** How long a deleted pod takes to terminate (capped by its grace period). */
  terminationDelayMs: number;
  /** Images matching any of these fail to pull (ErrImagePull, then ImagePullBackOff). */
  failImagePatterns: RegExp[];
  /** The first image-pull back-off; it doubles up to 300 s, as the kubelet's does. */
  imagePullBackoffMs: number;
  /** How often Node Leases are renewed (the kubelet renews every 10 s). */
  leaseRenewMs: number;
}

export const defaultKubeletOptions: KubeletSimOptions = {
  nodes: 3,
  nodeCpu: '32',
  nodeMemory: '128Gi',
  nodePods: 500,
  startDelayMs: 200,
  readyDelayMs: 100,
  terminationDelayMs: 100,
  failImagePatterns: [/does-not-exist/],
  imagePullBackoffMs: 10_000,
  leaseRenewMs: 10_000,
};

export const realisticKubelet: Partial<KubeletSimOptions> = {
  nodePods: 110,
  startDelayMs: 3_000,
  readyDelayMs: 1_000,
  terminationDelayMs: 2_000,
};

/** Pods carrying this annotation get the named failure: ErrImagePull, CrashLoopBackOff or Unschedulable. */
export const injectFailureAnnotation = 'sim.stratus.dev/inject-failure';

/**
 * Set by a simulated workload whose main process has ended (e.g. virt-launcher
 * once its domain migrated away): the exit code the kubelet reports for every
 * container, ending the pod Succeeded (0) or Failed.
 */
export const processExitAnnotation = 'sim.stratus.dev/process-exit-code';
