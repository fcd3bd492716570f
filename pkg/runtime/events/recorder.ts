// Records events.k8s.io/v1 Events about objects, as `kubectl describe` shows
// them. A repeat of the same event (same object, type, reason and note) within
// ten minutes bumps the existing Event's series instead of creating another,
// so a retry loop cannot flood the API.
import { resourceType } from '../../meta/resource.js';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'winston';
import { isNamespaceTerminating } from '../client/api-error.js';
import type { Client } from '../client/client.js';
import { silentLogger } from '../log/logger.js';
import type { KubeObject } from '../../meta/object.js';

const EventType = resourceType('events.k8s.io', 'v1', 'events', 'Event');
const aggregationWindowMs = 10 * 60_000;
const maxTracked = 4096;

export type EventKind = 'Normal' | 'Warning';

interface Tracked {
  name: string;
  namespace: string;
  count: number;
  first: number;
  last: number;
}

function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class EventRecorder {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly client: Client,
    /** e.g. "stratus.dev/volume-controller". */
    private readonly controller: string,
    private readonly instance: string,
    private readonly log: Logger = silentLogger(),
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Fire and forget: an event that cannot be written is logged, never thrown.
   * A namespace being deleted refuses new events; that is expected, not a warning.
   */
  event(regarding: KubeObject, type: EventKind, reason: string, note: string, action = reason): void {
    void this.record(regarding, type, reason, note, action).catch((err: unknown) => {
      const level = isNamespaceTerminating(err) ? 'debug' : 'warn';
      this.log.log(level, 'could not record event', { reason, error: err instanceof Error ? err.message : String(err) });
    });
  }

  private async record(regarding: KubeObject, type: EventKind, reason: string, note: string, action: string): Promise<void> {
    const namespace = regarding.metadata.namespace ?? 'default';
    const key = [regarding.metadata.uid, type, reason, note].join('\u0000');
    const now = this.now();
    const seen = this.tracked.get(key);
    if (seen && now - seen.last < aggregationWindowMs) {
      seen.count++;
      seen.last = now;
      await this.client.patch(EventType, seen.namespace, seen.name, { merge: {
        series: { count: seen.count, lastObservedTime: microTime(now) },
      } });
      return;
    }
    const name = `${regarding.metadata.name}.${randomBytes(8).toString('hex')}`;
    await this.client.create(EventType, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(now),
      reportingController: this.controller,
      reportingInstance: this.instance,
      action,
      reason,
      note: note.slice(0, 1024),
      type,
      regarding: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.metadata.name,
        namespace: regarding.metadata.namespace,
        uid: regarding.metadata.uid,
        resourceVersion: regarding.metadata.resourceVersion,
      },
    });
    if (this.tracked.size >= maxTracked) this.tracked.delete(this.tracked.keys().next().value!);
    this.tracked.set(key, { name, namespace, count: 1, first: now, last: now });
  }
}
