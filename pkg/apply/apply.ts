// Server-side apply of arbitrary manifests: the kind is resolved through
// discovery, cluster-scoped kinds lose any namespace, namespaced ones get the
// default namespace when they have none.
import type { Client } from '../runtime/client/client.js';
import type { MappedResource, RestMapper } from '../runtime/client/rest-mapper.js';
import type { KubeObject } from '../meta/object.js';

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  dryRun?: boolean;
  defaultNamespace?: string;
}

export interface Applied {
  object: KubeObject;
  type: MappedResource;
}

export async function resolve(mapper: RestMapper, obj: KubeObject, defaultNamespace = 'default'): Promise<Applied> {
  const type = await mapper.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
  const metadata = { ...obj.metadata };
  if (type.namespaced) metadata.namespace ??= defaultNamespace;
  else delete metadata.namespace;
  return { object: { ...obj, metadata }, type };
}

export async function applyObject(client: Client, mapper: RestMapper, obj: KubeObject, o: ApplyOptions): Promise<Applied> {
  const { object, type } = await resolve(mapper, obj, o.defaultNamespace);
  const result = await client.apply(type, object, { fieldManager: o.fieldManager, force: o.force, dryRun: o.dryRun });
  return { object: result, type };
}

/** CRDs first, then Namespaces, then the rest, in their order. */
export function applyOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
}
