// ApplySets, as kubectl implements them (KEP-3659): a parent object records
// which group-kinds and namespaces its members live in; members carry the
// set's id in a label. Pruning deletes exactly the labelled objects that are
// no longer in the folder, and nothing else.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../meta/object.js';
import { parseApiVersion } from '../meta/resource.js';

export const partOfLabel = 'applyset.kubernetes.io/part-of';
const idLabel = 'applyset.kubernetes.io/id';
const toolingAnnotation = 'applyset.kubernetes.io/tooling';
export const groupKindsAnnotation = 'applyset.kubernetes.io/contains-group-kinds';
export const namespacesAnnotation = 'applyset.kubernetes.io/additional-namespaces';

export interface ParentRef {
  name: string;
  namespace: string;
}

/** applyset-<base64url(sha256(name.namespace.Secret.))>-v1: the id of a Secret parent. */
export function applySetId(parent: ParentRef): string {
  const digest = createHash('sha256').update(`${parent.name}.${parent.namespace}.Secret.`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** "Kind.group", or just "Kind" for the core group. */
export function groupKind(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const { group } = parseApiVersion(obj.apiVersion ?? '');
  return group ? `${obj.kind}.${group}` : obj.kind!;
}

export function parseGroupKind(gk: string): { group: string; kind: string } {
  const dot = gk.indexOf('.');
  return dot < 0 ? { group: '', kind: gk } : { kind: gk.slice(0, dot), group: gk.slice(dot + 1) };
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The parent Secret, with the set's membership annotations. */
export function parentObject(parent: ParentRef, groupKinds: string[], namespaces: string[], tooling: string): KubeObject {
  const others = [...new Set(namespaces)].filter((n) => n && n !== parent.namespace).sort();
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: parent.name,
      namespace: parent.namespace,
      labels: { [idLabel]: applySetId(parent) },
      annotations: {
        [toolingAnnotation]: tooling,
        [groupKindsAnnotation]: [...new Set(groupKinds)].sort().join(','),
        [namespacesAnnotation]: others.join(','),
      },
    },
    type: 'Opaque',
  };
}

/** A member, labelled as part of the set. */
export function asMember(obj: KubeObject, id: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), [partOfLabel]: id } } };
}

/** Identity of an object for "is it still in the folder": group/kind/namespace/name. */
export function identity(obj: KubeObject, namespaced = true): string {
  return `${groupKind(obj)}/${namespaced ? (obj.metadata.namespace ?? '') : ''}/${obj.metadata.name}`;
}
