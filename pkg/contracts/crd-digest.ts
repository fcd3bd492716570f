// A CRD's digest: what decides the objects the apiserver accepts, prunes and
// serves (group, scope, names, and per version its schema, subresources and
// whether it is served or stored), as sha256 of canonical JSON. The same
// digest is taken of the upstream files in the cache and of the CRDs the
// apiserver serves, and both must match the committed locks.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../meta/object.js';

interface CrdSpec {
  group: string;
  scope: string;
  names: { plural: string; kind: string };
  versions: { name: string; served: boolean; storage: boolean; schema?: unknown; subresources?: unknown }[];
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function crdDigest(crd: KubeObject): string {
  const spec = crd.spec as CrdSpec;
  const relevant = {
    group: spec.group,
    scope: spec.scope,
    names: { plural: spec.names.plural, kind: spec.names.kind },
    versions: [...spec.versions]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((v) => ({ name: v.name, served: v.served, storage: v.storage, schema: v.schema ?? null, subresources: v.subresources ?? null })),
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(relevant))).digest('hex')}`;
}
