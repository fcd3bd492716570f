// Addresses of API resources: group/version/resource plus namespace and name,
// turned into REST paths.

export interface GroupVersionResource {
  group: string;
  version: string;
  /** Lower-case plural, e.g. "deployments". */
  resource: string;
}

export interface ResourceType extends GroupVersionResource {
  kind: string;
  namespaced: boolean;
}

export function resourceType(group: string, version: string, resource: string, kind: string, namespaced = true): ResourceType {
  return { group, version, resource, kind, namespaced };
}

export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The path of a collection or an object; `namespace` undefined means all
 * namespaces (for a namespaced type) or a cluster-scoped type.
 */
export function resourcePath(
  type: ResourceType | (GroupVersionResource & { namespaced: boolean }),
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  let path = base;
  if (type.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${type.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** "namespace/name", or "name" for cluster-scoped objects: the work-queue key. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
