// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules:
// a candidate takes the lease when its holder has not renewed it for
// leaseDuration (measured on the candidate's own clock, from when it last saw
// the record change); the leader renews every retryPeriod and gives up when
// it could not renew for renewDeadline.
import { resourceType } from '../../meta/resource.js';
import type { Logger } from 'winston';
import { isAlreadyExists, isConflict, isNotFound } from '../client/api-error.js';
import type { Client } from '../client/client.js';
import type { KubeObject } from '../../meta/object.js';
import { sleep } from '../../util/sleep.js';
import { silentLogger } from '../log/logger.js';

const LeaseType = resourceType('coordination.k8s.io', 'v1', 'leases', 'Lease');

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

export interface LeaderElectionOptions {
  client: Client;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  logger?: Logger;
  now?: () => number;
  /** Called with a signal that aborts the moment leadership is lost or released. */
  onStartedLeading: (signal: AbortSignal) => void;
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
}

export class LeaderLostError extends Error {
  constructor(name: string) {
    super(`leader election lost for lease ${name}`);
    this.name = 'LeaderLostError';
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly o: Required<Omit<LeaderElectionOptions, 'onStoppedLeading' | 'onNewLeader' | 'logger'>> &
    LeaderElectionOptions;
  private readonly log: Logger;
  private observed?: { record: string; at: number };
  private lastSeenHolder?: string;
  private leading = false;

  constructor(options: LeaderElectionOptions) {
    this.o = {
      ...options,
      // An option passed as undefined still gets its default.
      leaseDurationMs: options.leaseDurationMs ?? 15_000,
      renewDeadlineMs: options.renewDeadlineMs ?? 10_000,
      retryPeriodMs: options.retryPeriodMs ?? 2_000,
      now: options.now ?? Date.now,
    };
    this.log = (options.logger ?? silentLogger()).child({ lease: `${options.namespace}/${options.name}` });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until leading, leads until the lease is lost (throws
   * LeaderLostError) or `signal` aborts (releases the lease and returns).
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !(await this.tryAcquireOrRenew())) {
      await sleep(this.o.retryPeriodMs, signal).catch(() => {});
    }
    if (signal.aborted) return;
    this.leading = true;
    this.log.info('became leader', { identity: this.o.identity });
    const leadership = new AbortController();
    this.o.onStartedLeading(leadership.signal);
    let lastRenew = this.o.now();
    try {
      while (!signal.aborted) {
        await sleep(this.o.retryPeriodMs, signal).catch(() => {});
        if (signal.aborted) break;
        if (await this.tryAcquireOrRenew()) {
          lastRenew = this.o.now();
        } else if (this.o.now() - lastRenew >= this.o.renewDeadlineMs || this.lastSeenHolder !== this.o.identity) {
          this.log.error('lost leadership', { identity: this.o.identity, holder: this.lastSeenHolder });
          leadership.abort(new LeaderLostError(this.o.name));
          throw new LeaderLostError(this.o.name);
        }
      }
      leadership.abort(new Error('shutting down'));
      await this.release();
    } finally {
      this.leading = false;
      this.o.onStoppedLeading?.();
    }
  }

  private leaseSpec(previous: LeaseSpec | undefined, now: number): LeaseSpec {
    const sameHolder = previous?.holderIdentity === this.o.identity;
    return {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.round(this.o.leaseDurationMs / 1000),
      acquireTime: sameHolder && previous?.acquireTime ? previous.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (previous?.holderIdentity && !sameHolder ? 1 : 0),
    };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name } = this.o;
    const now = this.o.now();
    let lease: Lease | undefined;
    try {
      lease = await client.get<Lease>(LeaseType, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) {
        this.log.warn('reading the lease failed', { error: (err as Error).message });
        return false;
      }
    }
    try {
      if (!lease) {
        await client.create(LeaseType, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: this.leaseSpec(undefined, now),
        });
        this.observe(this.o.identity, now);
        return true;
      }
      const spec = lease.spec ?? {};
      const record = JSON.stringify(spec);
      if (this.observed?.record !== record) this.observed = { record, at: now };
      this.noteHolder(spec.holderIdentity ?? '');
      const held = !!spec.holderIdentity && spec.holderIdentity !== this.o.identity;
      const durationMs = (spec.leaseDurationSeconds ?? this.o.leaseDurationMs / 1000) * 1000;
      if (held && this.observed.at + durationMs > now) return false;
      const updated = await client.update<Lease>(LeaseType, { ...lease, spec: this.leaseSpec(spec, now) });
      this.observed = { record: JSON.stringify(updated.spec ?? {}), at: now };
      this.noteHolder(this.o.identity);
      return true;
    } catch (err) {
      if (!isConflict(err) && !isAlreadyExists(err)) {
        this.log.warn('updating the lease failed', { error: (err as Error).message });
      }
      return false;
    }
  }

  private observe(holder: string, at: number): void {
    this.observed = { record: '', at };
    this.noteHolder(holder);
  }

  private noteHolder(holder: string): void {
    if (holder !== this.lastSeenHolder) {
      this.lastSeenHolder = holder;
      if (holder) this.o.onNewLeader?.(holder);
    }
  }

  /** Gives the lease up so a standby takes over at once, as client-go's ReleaseOnCancel does. */
  private async release(): Promise<void> {
    const { client, namespace, name } = this.o;
    try {
      const lease = await client.get<Lease>(LeaseType, namespace, name);
      if (lease.spec?.holderIdentity !== this.o.identity) return;
      const now = this.o.now();
      await client.update(LeaseType, {
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: microTime(now),
          acquireTime: microTime(now),
        },
      });
      this.log.info('released leadership', { identity: this.o.identity });
    } catch (err) {
      this.log.warn('releasing the lease failed', { error: (err as Error).message });
    }
  }
}
