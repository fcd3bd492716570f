// One small valid object of each kind that a finalizer policy matches, made
// in a server dry run after the policies are installed: when it comes back
// carrying its finalizer, the policy is in effect (see
// pkg/apply/admission-policies.ts, waitForFinalizerPolicies).
import { finalizerOfKind } from '../finalizers.js';
import { DiskImages, Networks, Snapshots, Volumes } from '../resources.js';
import { apiVersion } from '../schema/common.js';
import type { FinalizerProbe } from '../../apply/admission-policies.js';
import type { ResourceType } from '../../meta/resource.js';

const probeSpecs: Record<string, { type: ResourceType; spec: object }> = {
  Volume: { type: Volumes, spec: { size: '1Gi' } },
  Network: { type: Networks, spec: { cidr: '192.0.2.0/24' } },
  Snapshot: { type: Snapshots, spec: { source: { volume: 'stratus-probe' } } },
  DiskImage: { type: DiskImages, spec: { source: { http: { url: 'https://example.invalid/disk.img' } }, size: '1Gi' } },
};

/** A probe per kind with a finalizer policy, in `namespace` (one that exists: a dry run does not create it). */
export function finalizerProbes(namespace: string): FinalizerProbe[] {
  return Object.entries(finalizerOfKind).map(([kind, finalizer]) => {
    const probe = probeSpecs[kind];
    if (!probe) throw new Error(`no finalizer probe for ${kind}`);
    return { type: probe.type, finalizer, object: { apiVersion, kind, metadata: { generateName: 'stratus-probe-', namespace }, spec: probe.spec } };
  });
}
