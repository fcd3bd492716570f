// Writes an object's status through its /status subresource, and only when
// it differs from what the object already reports: a reconcile that changes
// nothing writes nothing.
import { createHash } from 'node:crypto';
import type { Condition, KubeObject } from '../../meta/object.js';
import { deepEqual } from '../../util/equality.js';
import { isProgress, settle, type SettleTimes } from './status-settle.js';
import type { Client } from './client.js';
import type { ResourceType } from '../../meta/resource.js';

/**
 * Applies `status` (server-side apply on /status, so fields Stratus stops
 * reporting disappear). Returns false when nothing needed writing.
 */
export async function writeStatus<S>(client: Client, type: ResourceType, obj: KubeObject, status: S): Promise<boolean> {
  if (deepEqual(obj.status, status)) return false;
  await client.apply(
    type,
    {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace },
      status: status as unknown,
    },
    { subresource: 'status', force: true },
  );
  return true;
}

function hashOf(status: unknown): string {
  return createHash('sha1').update(JSON.stringify(status)).digest('base64');
}

/** How soon to look again when the cache does not show the status last written yet. */
const unseenRetryMs = 500;

/** How long changes that are not urgent may wait (status-settle.ts). */
export const defaultSettleTimes: SettleTimes = { stepMs: 2_000, detailMs: 10_000, progressMs: 10_000 };

/**
 * writeStatus, settling changes that are not urgent (status-settle.ts): such a
 * change is held until it has waited its time, and the reconcile asks to
 * come back then, so a burst of intermediate states costs one write.
 */
export class SettlingStatusWriter {
  /** Objects (type/namespace/name) whose change waits, and since when. */
  private readonly waiting = new Map<string, number>();
  /**
   * The status last written for an object the cache still shows as it was
   * before (same resourceVersion): under load the write can take seconds to
   * come back, and a reconcile meanwhile would write the same status again,
   * or a newer one computed from the old (a condition flipping twice).
   * A hash of it, so that objects the controller never comes back to cost a
   * few bytes each.
   */
  private readonly unseen = new Map<string, { basedOn?: string; hash: string; at: number }>();
  /** Objects whose last written status reported progress, and when it was written. */
  private readonly reported = new Map<string, number>();
  private remembered = 0;

  constructor(
    private readonly client: Client,
    private readonly times = defaultSettleTimes,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether it wrote, and when to reconcile again if the change waits.
   * `urgent`: the controller's own memory is in this change (an App's
   * traffic), so it is written at once.
   */
  async write<S extends { conditions?: Condition[] }>(type: ResourceType, obj: KubeObject, status: S, urgent = false): Promise<{ written: boolean; requeueAfterMs?: number; heldWrite?: boolean }> {
    const key = `${type.group}/${type.resource}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const unseen = this.unseen.get(key);
    if (unseen && unseen.basedOn !== obj.metadata.resourceVersion) this.unseen.delete(key);
    else if (unseen) {
      // Anything else would be built on a status older than the one written (its flip times, say): once the cache has it.
      return unseen.hash === hashOf(status) ? { written: false } : { written: false, requeueAfterMs: unseenRetryMs, heldWrite: true };
    }
    if (deepEqual(obj.status, status)) {
      this.waiting.delete(key);
      return { written: false };
    }
    const now = this.now();
    const decision = urgent ? ({ write: true } as const) : settle(obj.status as S | undefined, status, this.waiting.get(key), now, this.times, this.reported.get(key));
    if (!decision.write) {
      if (!this.waiting.has(key)) this.remember(this.waiting, key, now);
      return { written: false, requeueAfterMs: decision.waitMs, heldWrite: true };
    }
    this.waiting.delete(key);
    const written = await writeStatus(this.client, type, obj, status);
    this.unseen.set(key, { basedOn: obj.metadata.resourceVersion, hash: hashOf(status), at: now });
    if (isProgress(status)) this.remember(this.reported, key, this.now());
    else this.reported.delete(key);
    return { written };
  }

  /** An object deleted while its change waited is never written: every 1,024 entries, forget those long past. */
  private remember(times: Map<string, number>, key: string, now: number): void {
    if (++this.remembered % 1024 === 0) {
      for (const map of [this.waiting, this.reported]) for (const [k, since] of map) if (now - since > 10 * this.times.detailMs) map.delete(k);
      for (const [k, { at }] of this.unseen) if (now - at > 10 * this.times.detailMs) this.unseen.delete(k);
    }
    times.set(key, now);
  }
}
