// Event-driven evaluation: a Scaler is reconciled at once when an object its
// metrics read changes, not only every polling interval. (Its target is read
// on the interval, as the HPA does: reacting to the target's own changes
// would re-evaluate right after every rescale.) The kinds are known only
// from the Scalers, so informers are added on demand.
import { Scalers } from '../../pkg/api/resources.js';
import type { Scaler } from '../../pkg/api/types.generated.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { parseApiVersion } from '../../pkg/meta/resource.js';
import type { RestMapper } from '../../pkg/runtime/client/rest-mapper.js';
import type { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped } from '../../pkg/runtime/handler/handlers.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { metricObjectType } from './metric-objects.js';

export const referenceIndex = 'scaler-references';

/** group/Kind/namespace/name of an object a Scaler reads. */
function refKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${parseApiVersion(apiVersion).group}/${kind}/${namespace}/${name}`;
}

/** The objects a Scaler's metrics read. */
export function references(s: Scaler): { apiVersion: string; kind: string; name: string }[] {
  const refs: { apiVersion: string; kind: string; name: string }[] = [];
  for (const m of s.spec.metrics ?? []) {
    const o = m.object?.describedObject ?? m.external?.source.objectRef;
    if (o) refs.push({ apiVersion: o.apiVersion ?? 'v1', kind: o.kind, name: o.name });
  }
  return refs;
}

export class ScalerWatches {
  private readonly watched = new Set<string>();
  private controller?: Controller;

  constructor(
    private readonly cache: Cache,
    private readonly mapper: RestMapper,
  ) {
    cache.informer<Scaler>(Scalers).addIndex(referenceIndex, (s) => references(s).map((r) => refKey(r.apiVersion, r.kind, s.metadata.namespace, r.name)));
  }

  attach(controller: Controller): void {
    this.controller = controller;
  }

  /** Makes sure changes to every kind the Scaler's metrics read wake the Scalers that read them. */
  async ensure(scaler: Scaler): Promise<void> {
    for (const ref of references(scaler)) {
      const id = `${ref.apiVersion}/${ref.kind}`;
      if (this.watched.has(id)) continue;
      const found = await metricObjectType(this.mapper, ref.apiVersion, ref.kind).catch(() => undefined);
      if (!found || 'refused' in found) continue; // Reported by the reconcile; a later pass tries again.
      const { type } = found;
      this.watched.add(id);
      const scalers = this.cache.informer<Scaler>(Scalers);
      this.controller?.watch(
        this.cache.informer<KubeObject>(type),
        enqueueMapped((o) => scalers.indexer.byIndex(referenceIndex, refKey(ref.apiVersion, ref.kind, o.metadata.namespace, o.metadata.name!)).map(keyOf)),
        (e) => e.type !== 'add',
      );
    }
  }
}
