// The simulated Containerized Data Importer (CDI): DataVolumes import, clone
// or create blank disks into PVCs, with CDI's phases, progress and conditions.

export interface CdiSimOptions {
  /** From the claim binding to the transfer starting (importer pod scheduling). */
  scheduleDelayMs: number;
  /** How long an import or clone takes once running. */
  transferDurationMs: number;
  /** Progress updates during a transfer. */
  progressSteps: number;
  /** Sources whose URL matches fail with an HTTP 404, as CDI's importer reports it. */
  failUrlPatterns: RegExp[];
  /** How often a failing importer pod restarts. */
  restartIntervalMs: number;
  /**
   * How CDI clones a claim in the same namespace, as a StorageProfile's
   * cloneStrategy says: csi-clone leaves it to the CSI driver (the storage
   * simulator's cloneDelayMs), copy runs a host-assisted copy (transferDurationMs).
   * Across namespaces CDI always copies.
   */
  cloneStrategy: 'csi-clone' | 'copy';
}

export const defaultCdiOptions: CdiSimOptions = {
  scheduleDelayMs: 100,
  transferDurationMs: 600,
  progressSteps: 3,
  failUrlPatterns: [/does-not-exist/],
  restartIntervalMs: 10_000,
  cloneStrategy: 'csi-clone',
};

export const realisticCdi: Partial<CdiSimOptions> = { scheduleDelayMs: 3_000, transferDurationMs: 60_000, progressSteps: 20 };

export const cdiAnnotations = {
  endpoint: 'cdi.kubevirt.io/storage.import.endpoint',
  source: 'cdi.kubevirt.io/storage.import.source',
  contentType: 'cdi.kubevirt.io/storage.contentType',
  createdFor: 'cdi.kubevirt.io/createdForDataVolume',
  podPhase: 'cdi.kubevirt.io/storage.pod.phase',
  restarts: 'cdi.kubevirt.io/storage.pod.restarts',
  cloneSource: 'k8s.io/CloneRequest',
} as const;
