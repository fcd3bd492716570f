// One sync of a folder: validate everything offline first, apply CRDs before
// the objects that need them, server-side apply under one field manager as
// members of an ApplySet, prune what left the folder, and wait for health.
import { loadManifests } from '../api/manifests.js';
import { health, type HealthStatus } from '../api/kstatus.js';
import { validateObject } from '../api/validation/validate-object.js';
import { formatFieldError } from '../api/validation/field-error.js';
import { applyOrder, resolve } from '../apply/apply.js';
import { waitForCrdsEstablished } from '../apply/crds.js';
import { Secrets } from '../kube/resources.js';
import { ApiError } from '../runtime/client/api-error.js';
import type { Client } from '../runtime/client/client.js';
import type { MappedResource, RestMapper } from '../runtime/client/rest-mapper.js';
import type { KubeObject } from '../meta/object.js';
import { deepEqual } from '../util/equality.js';
import { sleep } from '../util/sleep.js';
import {
  applySetId,
  asMember,
  groupKind,
  groupKindsAnnotation,
  identity,
  namespacesAnnotation,
  parentObject,
  parseGroupKind,
  partOfLabel,
  splitList,
  type ParentRef,
} from './applyset.js';

export const syncFieldManager = 'stratus-sync';
const tooling = 'stratus/v0.1.0';

export interface SyncOptions {
  folder: string;
  parent: ParentRef;
  prune: boolean;
  dryRun: boolean;
  force: boolean;
  wait: boolean;
  timeoutMs: number;
}

export interface ObjectResult {
  kind: string;
  namespace?: string;
  name: string;
  action: 'applied' | 'unchanged' | 'pruned' | 'would apply' | 'would prune' | 'failed';
  health?: HealthStatus;
  message?: string;
}

export interface SyncResult {
  ok: boolean;
  /** Offline validation errors: nothing was applied or pruned. */
  invalid: string[];
  objects: ObjectResult[];
}

function describe(e: unknown): string {
  return e instanceof ApiError ? (e.body.message ?? e.message) : (e as Error).message;
}

/**
 * What an apply can change: everything but status and the bookkeeping. A
 * resourceVersion alone can move without a change of ours: the first write
 * after a create stores the status default the apiserver has only been
 * adding on read until then.
 */
function desiredPart(obj: KubeObject): unknown {
  const { resourceVersion: _version, managedFields: _fields, ...metadata } = obj.metadata;
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  return { ...rest, metadata };
}

export class Syncer {
  constructor(
    private readonly client: Client,
    private readonly mapper: RestMapper,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async sync(o: SyncOptions): Promise<SyncResult> {
    // 1. Read and validate everything; a single problem stops the whole sync.
    const docs = loadManifests([o.folder]);
    const invalid: string[] = [];
    const objects: KubeObject[] = [];
    for (const d of docs) {
      const where = `${d.file}[${d.index}]`;
      if (d.error || !d.object) {
        invalid.push(`${where}: cannot parse: ${d.error ?? 'empty'}`);
        continue;
      }
      for (const e of validateObject(d.object).errors) invalid.push(`${where} ${d.object.kind} ${d.object.metadata?.name ?? ''}: ${formatFieldError(e)}`);
      objects.push(d.object);
    }
    const ids = new Set<string>();
    for (const obj of objects) {
      const id = `${groupKind(obj)}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
      if (ids.has(id)) invalid.push(`${obj.kind} ${obj.metadata.name}: defined twice`);
      ids.add(id);
    }
    if (invalid.length) return { ok: false, invalid, objects: [] };

    const id = applySetId(o.parent);
    const results: ObjectResult[] = [];
    const previous = await this.client.tryGet(Secrets, o.parent.namespace, o.parent.name);
    const previousKinds = splitList(previous?.metadata.annotations?.[groupKindsAnnotation]);
    const previousNamespaces = splitList(previous?.metadata.annotations?.[namespacesAnnotation]);

    // 2. CRDs first, so the kinds they define resolve.
    const ordered = applyOrder(objects);
    const crds = ordered.filter((x) => x.kind === 'CustomResourceDefinition');
    const applied: { object: KubeObject; type: MappedResource }[] = [];
    for (const crd of crds) applied.push(...(await this.applyOne(crd, id, o, results)));
    if (crds.length && !o.dryRun) {
      await waitForCrdsEstablished(this.client, crds.map((c) => c.metadata.name!), 60_000);
      await this.mapper.refresh();
    }
    const rest = ordered.filter((x) => x.kind !== 'CustomResourceDefinition');
    // Resolve everything (namespaces defaulted) before touching the parent.
    const resolved: { object: KubeObject; type?: MappedResource; error?: string }[] = [];
    for (const obj of rest) {
      try {
        resolved.push(await resolve(this.mapper, obj, 'default'));
      } catch (err) {
        resolved.push({ object: obj, error: describe(err) });
      }
    }
    const currentKinds = [...new Set([...crds, ...rest].map(groupKind))];
    const currentNamespaces = [...new Set(resolved.map((r) => r.object.metadata.namespace).filter((n): n is string => !!n))];

    // 3. The parent first names the union of old and new, so a crash mid-sync never hides a member from pruning.
    if (!o.dryRun) {
      await this.client.apply(Secrets, parentObject(o.parent, [...previousKinds, ...currentKinds], [...previousNamespaces, ...currentNamespaces], tooling), {
        fieldManager: syncFieldManager,
        force: true,
      });
    }
    for (const r of resolved) {
      if (r.error) {
        results.push({ kind: r.object.kind ?? '', namespace: r.object.metadata.namespace, name: r.object.metadata.name ?? '', action: 'failed', message: r.error });
        continue;
      }
      applied.push(...(await this.applyOne(r.object, id, o, results, r.type)));
    }
    const failures = results.some((r) => r.action === 'failed');

    // 4. Prune: only after a complete, successful apply.
    if (o.prune && !failures) {
      const keep = new Set(applied.map((a) => identity(a.object, a.type.namespaced)));
      await this.prune(id, [...new Set([...previousKinds, ...currentKinds])], [...new Set([o.parent.namespace, ...previousNamespaces, ...currentNamespaces])], keep, o, results);
    }
    if (!o.dryRun && !failures) {
      await this.client.apply(Secrets, parentObject(o.parent, currentKinds, currentNamespaces, tooling), { fieldManager: syncFieldManager, force: true });
    }

    // 5. Health.
    if (o.wait && !o.dryRun && !failures) await this.waitHealthy(applied, results, o.timeoutMs);
    const ok = !results.some((r) => r.action === 'failed' || (r.health && r.health !== 'Current'));
    return { ok, invalid: [], objects: results };
  }

  private async applyOne(obj: KubeObject, id: string, o: SyncOptions, results: ObjectResult[], type?: MappedResource): Promise<{ object: KubeObject; type: MappedResource }[]> {
    const base = { kind: obj.kind ?? '', namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
    try {
      const t = type ?? (await resolve(this.mapper, obj)).type;
      const member = asMember(obj, id);
      const before = o.dryRun ? undefined : await this.client.tryGet(t, member.metadata.namespace, member.metadata.name!);
      const after = await this.client.apply(t, member, { fieldManager: syncFieldManager, force: o.force, dryRun: o.dryRun });
      const changed = !before || !deepEqual(desiredPart(before), desiredPart(after));
      results.push({ ...base, action: o.dryRun ? 'would apply' : changed ? 'applied' : 'unchanged' });
      this.log(`${o.dryRun ? 'would apply' : changed ? 'applied' : 'unchanged'} ${t.resource}/${obj.metadata.name}`);
      return [{ object: after, type: t }];
    } catch (err) {
      const hint = err instanceof ApiError && err.status === 409 ? ' (another field manager owns these fields: remove them from the folder, or sync with --force-conflicts)' : '';
      results.push({ ...base, action: 'failed', message: describe(err) + hint });
      return [];
    }
  }

  private async prune(id: string, kinds: string[], namespaces: string[], keep: Set<string>, o: SyncOptions, results: ObjectResult[]): Promise<void> {
    for (const gk of kinds) {
      const { group, kind } = parseGroupKind(gk);
      let type: MappedResource;
      try {
        type = await this.findType(group, kind);
      } catch {
        continue; // The kind is gone (its CRD was pruned): its objects went with it.
      }
      for (const ns of type.namespaced ? namespaces : [undefined]) {
        const list = await this.client.list(type, { namespace: ns, labelSelector: `${partOfLabel}=${id}` });
        for (const obj of list.items) {
          const withKind = { ...obj, apiVersion: group ? `${group}/${type.version}` : type.version, kind };
          if (keep.has(identity(withKind, type.namespaced))) continue;
          if (obj.metadata.deletionTimestamp) continue; // Pruned by an earlier sync, still finalizing.
          if (!o.dryRun) {
            await this.client.deleteExact(type, obj);
          }
          results.push({ kind, namespace: obj.metadata.namespace, name: obj.metadata.name!, action: o.dryRun ? 'would prune' : 'pruned' });
          this.log(`${o.dryRun ? 'would prune' : 'pruned'} ${type.resource}/${obj.metadata.name}`);
        }
      }
    }
  }

  private async findType(group: string, kind: string): Promise<MappedResource> {
    // The ApplySet records group and kind; any served version will do to list and delete.
    for (const v of ['v1', 'v1alpha1', 'v1beta1', 'v2']) {
      try {
        return await this.mapper.resourceFor(group ? `${group}/${v}` : v, kind);
      } catch {
        // try the next version
      }
    }
    throw new Error(`${kind}.${group} is not served`);
  }

  private async waitHealthy(applied: { object: KubeObject; type: MappedResource }[], results: ObjectResult[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Map(applied.map((a) => [identity(a.object, a.type.namespaced), a]));
    const byId = new Map(results.map((r) => [`${r.kind}/${r.namespace ?? ''}/${r.name}`, r]));
    while (pending.size) {
      for (const [key, a] of pending) {
        const current = await this.client.tryGet(a.type, a.object.metadata.namespace, a.object.metadata.name!);
        const h = health(current);
        const r = byId.get(`${a.object.kind}/${a.object.metadata.namespace ?? ''}/${a.object.metadata.name}`);
        if (r) {
          r.health = h.status;
          r.message = h.message;
        }
        if (h.status === 'Current' || h.status === 'Failed') pending.delete(key);
      }
      if (!pending.size || Date.now() > deadline) break;
      await sleep(500);
    }
  }
}
