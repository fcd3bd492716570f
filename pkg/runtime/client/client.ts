// Typed verbs over the REST client: get, list, create, server-side apply,
// patch, delete, and the /status and /scale subresources.
import type { KubeObject, ObjectList } from '../../meta/object.js';
import { isNotFound } from './api-error.js';
import type { RestClient, Query } from './rest-client.js';
import { resourcePath, type GroupVersionResource } from '../../meta/resource.js';

type Typed = GroupVersionResource & { namespaced: boolean };

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

  get<T extends KubeObject = KubeObject>(type: Typed, namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.rest.request<T>('GET', resourcePath(type, namespace, name, subresource));
  }

  /** Like get, but undefined when the object does not exist. */
  async tryGet<T extends KubeObject = KubeObject>(type: Typed, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get<T>(type, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  list<T extends KubeObject = KubeObject>(type: Typed, o: ListOptions = {}): Promise<ObjectList<T>> {
    const { namespace, ...query } = o;
    return this.rest.request<ObjectList<T>>('GET', resourcePath(type, namespace), { query: query as Query });
  }

  /** Every page of a list. */
  async listAll<T extends KubeObject = KubeObject>(type: Typed, o: ListOptions = {}): Promise<ObjectList<T>> {
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

  create<T extends KubeObject = KubeObject>(type: Typed, obj: KubeObject, o: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>('POST', resourcePath(type, obj.metadata.namespace), {
      body: obj,
      query: { dryRun: o.dryRun ? 'All' : undefined, fieldManager: this.fieldManager },
    });
  }

  update<T extends KubeObject = KubeObject>(type: Typed, obj: KubeObject, o: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>('PUT', resourcePath(type, obj.metadata.namespace, obj.metadata.name, o.subresource), {
      body: obj,
      query: { dryRun: o.dryRun ? 'All' : undefined, fieldManager: this.fieldManager },
    });
  }

  /** Server-side apply: the object states exactly the fields this manager owns. */
  apply<T extends KubeObject = KubeObject>(type: Typed, obj: KubeObject, o: ApplyOptions = {}): Promise<T> {
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

  mergePatch<T extends KubeObject = KubeObject>(
    type: Typed,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    o: WriteOptions = {},
  ): Promise<T> {
    return this.rest.request<T>('PATCH', resourcePath(type, namespace, name, o.subresource), {
      body: patch,
      contentType: 'application/merge-patch+json',
      query: { fieldManager: this.fieldManager, dryRun: o.dryRun ? 'All' : undefined },
    });
  }

  /** Strategic merge patch: built-in types only (custom resources answer 415). */
  strategicMergePatch<T extends KubeObject = KubeObject>(
    type: Typed,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    o: WriteOptions = {},
  ): Promise<T> {
    return this.rest.request<T>('PATCH', resourcePath(type, namespace, name, o.subresource), {
      body: patch,
      contentType: 'application/strategic-merge-patch+json',
      query: { fieldManager: this.fieldManager, dryRun: o.dryRun ? 'All' : undefined },
    });
  }

  /** POSTs to a subresource, e.g. a pod's binding or eviction. */
  post<T = unknown>(type: Typed, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<T> {
    return this.rest.request<T>('POST', resourcePath(type, namespace, name, subresource), { body });
  }

  jsonPatch<T extends KubeObject = KubeObject>(
    type: Typed,
    namespace: string | undefined,
    name: string,
    ops: unknown[],
    o: WriteOptions = {},
  ): Promise<T> {
    return this.rest.request<T>('PATCH', resourcePath(type, namespace, name, o.subresource), {
      body: ops,
      contentType: 'application/json-patch+json',
      query: { fieldManager: this.fieldManager, dryRun: o.dryRun ? 'All' : undefined },
    });
  }

  delete(type: Typed, namespace: string | undefined, name: string, o: DeleteOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
    if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.preconditions) body.preconditions = o.preconditions;
    if (o.dryRun) body.dryRun = ['All'];
    return this.rest.request('DELETE', resourcePath(type, namespace, name), { body });
  }

  /** Deletes, treating "already gone" as success. Returns whether it existed. */
  async deleteIfExists(type: Typed, namespace: string | undefined, name: string, o: DeleteOptions = {}): Promise<boolean> {
    try {
      await this.delete(type, namespace, name, o);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  getScale(type: Typed, namespace: string | undefined, name: string): Promise<Scale> {
    return this.rest.request<Scale>('GET', resourcePath(type, namespace, name, 'scale'));
  }

  /** Writes only spec.replicas of the /scale subresource. */
  patchScale(type: Typed, namespace: string | undefined, name: string, replicas: number): Promise<Scale> {
    return this.rest.request<Scale>('PATCH', resourcePath(type, namespace, name, 'scale'), {
      body: { spec: { replicas } },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: this.fieldManager },
    });
  }
}
