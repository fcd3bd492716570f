// What a DiskImage becomes: an import DataVolume per revision, and a CDI
// DataSource (named after the image) pointing at the current revision's
// claim, which clones name in their sourceRef.
import type { DiskImage } from '../../pkg/api/types.generated.js';
import type { DataSource, DataVolume } from '../../pkg/contracts/cdi/index.js';
import { childLabels } from '../shared/labels.js';
import { revisionLabel, sourceHash, sourceHashAnnotation } from './revisions.js';

export function revisionName(image: DiskImage, n: number): string {
  return `${image.metadata.name}-${n}`;
}

export function desiredImport(image: DiskImage, n: number): DataVolume {
  const { http, registry } = image.spec.source;
  const source = http
    ? { http: { url: http.url, ...(http.checksum ? { checksum: http.checksum } : {}), ...(http.secretRef ? { secretRef: http.secretRef.name } : {}) } }
    : { registry: { url: registry!.url } };
  return {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: {
      name: revisionName(image, n),
      namespace: image.metadata.namespace,
      labels: { ...childLabels('diskImage', image.metadata.name!), [revisionLabel]: String(n) },
      annotations: { [sourceHashAnnotation]: sourceHash(image) },
    },
    spec: {
      source,
      storage: { resources: { requests: { storage: String(image.spec.size) } }, ...(image.spec.storageClassName ? { storageClassName: image.spec.storageClassName } : {}) },
    },
  };
}

export function desiredDataSource(image: DiskImage, claim: string): DataSource {
  return {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataSource',
    metadata: { name: image.metadata.name, namespace: image.metadata.namespace, labels: childLabels('diskImage', image.metadata.name!) },
    spec: { source: { pvc: { namespace: image.metadata.namespace!, name: claim } } },
  };
}
