import type { Volume } from '../../pkg/api/types.generated.js';
import { claimGrowth, desiredClaim, desiredDataVolume, importsData } from './desired.js';

const volume = (spec: Partial<Volume['spec']> = {}): Volume => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Volume',
  metadata: { name: 'data', namespace: 'ns', uid: 'u1' },
  spec: { size: '10Gi', accessMode: 'ReadWriteOnce', volumeMode: 'Filesystem', reclaimPolicy: 'Delete', ...spec },
});

describe('Volume desired state', () => {
  it('makes a labelled claim for a blank disk', () => {
    expect(importsData(volume())).toBe(false);
    expect(desiredClaim(volume({ storageClassName: 'fast' }))).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'ns', labels: { 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/volume': 'data' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, volumeMode: 'Filesystem', storageClassName: 'fast' },
    });
  });

  it('leaves the storage class to the cluster default when unset', () => {
    expect(desiredClaim(volume()).spec).not.toHaveProperty('storageClassName');
  });

  it.each([
    [{ http: { url: 'https://x/disk.qcow2', secretRef: { name: 'creds' } } }, { http: { url: 'https://x/disk.qcow2', secretRef: 'creds' } }],
    [{ registry: { url: 'docker://quay.io/containerdisks/fedora:41' } }, { registry: { url: 'docker://quay.io/containerdisks/fedora:41' } }],
    [{ volume: { name: 'golden' } }, { pvc: { namespace: 'ns', name: 'golden-claim' } }],
  ])('imports %j through a DataVolume with source %j', (source, dvSource) => {
    const v = volume({ source });
    expect(importsData(v)).toBe(true);
    const dv = desiredDataVolume(v, { sourceClaim: 'golden-claim' });
    expect(dv.spec.source).toEqual(dvSource);
    expect(dv.spec.storage?.resources?.requests?.storage).toBe('10Gi');
    expect(dv.metadata.name).toBe('data');
  });

  it('restores a claim from a VolumeSnapshot and clones a DiskImage through its DataSource', () => {
    expect(importsData(volume({ source: { snapshot: { name: 'nightly' } } }))).toBe(false);
    expect(desiredClaim(volume({ source: { snapshot: { name: 'nightly' } } }), 'vmsnapshot-1-volume-rootdisk').spec.dataSourceRef).toEqual({
      apiGroup: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshot',
      name: 'vmsnapshot-1-volume-rootdisk',
    });
    const v = volume({ source: { diskImage: { name: 'debian-12' } } });
    expect(importsData(v)).toBe(true);
    expect(desiredDataVolume(v, { dataSource: 'debian-12' }).spec).toEqual({
      sourceRef: { kind: 'DataSource', name: 'debian-12' },
      storage: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, volumeMode: 'Filesystem' },
    });
  });

  it('grows a claim with a patch that states only the request', () => {
    expect(claimGrowth(volume({ size: '20Gi' }))).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'ns' },
      spec: { resources: { requests: { storage: '20Gi' } } },
    });
  });
});
