// ResourceType verbs over the REST client: get, list, create, server-side apply,
// patch, delete, and the /status and /scale subresources.
import type { KubeObject, ObjectList } from '../../meta/object.js';
import { isConflict, isNotFound } from './api-error.js';
import type { RestClient, Query } from './rest-client.js';
import { resourcePath, type ResourceType } from '../../meta/resource.js';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: string;
}

export interface ApplyOptions extends WriteOptions {
  /** Take ownership of fields another manager holds. Only for objects Stratus owns. */
  force?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  /** Delete only if the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** The body of a patch, by its kind. */
export type Patch = { merge: unknown } | { strategic: unknown } | { json: unknown[] };

export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

/** The field manager Stratus writes under, unless told otherwise. */
export const defaultFieldManager = 'stratus';

export class Client {
  readonly rest: RestClient;
  readonly fieldManager: string;

  constructor(rest: RestClient, fieldManager = defaultFieldManager) {
    this.rest = rest;
    this.fieldManager = fieldManager;
  }

  get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.rest.request<T>('GET', resourcePath(type, namespace, name, subresource));
  }

  /** Like get, but undefined when the object does not exist. */
  async tryGet<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get<T>(type, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  list<T extends KubeObject = KubeObject>(type: ResourceType, o: ListOptions = {}): Promise<ObjectList<T>> {
    const { namespace, ...query } = o;
    return this.rest.request<ObjectList<T>>('GET', resourcePath(type, namespace), { query: query as Query });
  }

  /** Every page of a list. */
  async listAll<T extends KubeObject = KubeObject>(type: ResourceType, o: ListOptions = {}): Promise<ObjectList<T>> {
    const first = await this.list<T>(type, { limit: 500, ...o });
    let next = first.metadata.continue;
    while (next) {
      const page = await this.list<T>(type, { limit: 500, ...o, continue: next });
      first.items.push(...page.items);
      next = page.metadata.continue;
      first.metadata.resourceVersion = page.metadata.resourceVersion;
    }
    first.metadata.continue = undefined;
    return first;
  }

  create<T extends KubeObject = KubeObject>(type: ResourceType, obj: KubeObject, o: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>('POST', resourcePath(type, obj.metadata.namespace), {
      body: obj,
      query: { dryRun: o.dryRun ? 'All' : undefined, fieldManager: this.fieldManager },
    });
  }

  update<T extends KubeObject = KubeObject>(type: ResourceType, obj: KubeObject, o: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>('PUT', resourcePath(type, obj.metadata.namespace, obj.metadata.name, o.subresource), {
      body: obj,
      query: { dryRun: o.dryRun ? 'All' : undefined, fieldManager: this.fieldManager },
    });
  }

  /** Server-side apply: the object states exactly the fields this manager owns. */
  apply<T extends KubeObject = KubeObject>(type: ResourceType, obj: KubeObject, o: ApplyOptions = {}): Promise<T> {
    const { namespace, name } = obj.metadata;
    if (!name) throw new Error('server-side apply needs metadata.name');
    return this.rest.request<T>('PATCH', resourcePath(type, namespace, name, o.subresource), {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: o.fieldManager ?? this.fieldManager,
        force: o.force ? true : undefined,
        dryRun: o.dryRun ? 'All' : undefined,
      },
    });
  }

  /**
   * A patch: JSON merge patch, strategic merge patch (built-in types only:
   * custom resources answer 415) or JSON patch operations.
   */
  patch<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: Patch, o: WriteOptions = {}): Promise<T> {
    const [contentType, body] =
      'merge' in patch
        ? ['application/merge-patch+json', patch.merge]
        : 'strategic' in patch
          ? ['application/strategic-merge-patch+json', patch.strategic]
          : ['application/json-patch+json', patch.json];
    return this.rest.request<T>('PATCH', resourcePath(type, namespace, name, o.subresource), {
      body,
      contentType,
      query: { fieldManager: this.fieldManager, dryRun: o.dryRun ? 'All' : undefined },
    });
  }

  /** POSTs to a subresource, e.g. a pod's binding or eviction. */
  post<T = unknown>(type: ResourceType, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<T> {
    return this.rest.request<T>('POST', resourcePath(type, namespace, name, subresource), { body });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, o: DeleteOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
    if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.preconditions) body.preconditions = o.preconditions;
    if (o.dryRun) body.dryRun = ['All'];
    return this.rest.request('DELETE', resourcePath(type, namespace, name), { body });
  }

  /**
   * Deletes exactly this object (a uid precondition): gone already, or
   * replaced by another of the same name, is fine. Returns whether it deleted it.
   */
  async deleteExact(type: ResourceType, obj: KubeObject, o: Pick<DeleteOptions, 'propagationPolicy'> = {}): Promise<boolean> {
    try {
      await this.delete(type, obj.metadata.namespace, obj.metadata.name!, { ...o, preconditions: { uid: obj.metadata.uid } });
      return true;
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return false;
      throw err;
    }
  }

  /** Deletes, treating "already gone" as success. Returns whether it existed. */
  async deleteIfExists(type: ResourceType, namespace: string | undefined, name: string, o: DeleteOptions = {}): Promise<boolean> {
    try {
      await this.delete(type, namespace, name, o);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  getScale(type: ResourceType, namespace: string | undefined, name: string): Promise<Scale> {
    return this.rest.request<Scale>('GET', resourcePath(type, namespace, name, 'scale'));
  }

  /** Writes only spec.replicas of the /scale subresource. */
  patchScale(type: ResourceType, namespace: string | undefined, name: string, replicas: number): Promise<Scale> {
    return this.rest.request<Scale>('PATCH', resourcePath(type, namespace, name, 'scale'), {
      body: { spec: { replicas } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: this.fieldManager },
    });
  }
}
