// What the Scaler controller keeps between evaluations: the algorithm's
// working history (a recommendation per evaluation, as the HPA keeps it in
// memory) and when currentMetrics was last written. A Scaler this process
// has not evaluated yet starts from its status (persisted-history.ts).
import type { Scaler } from '../../pkg/api/types.generated.js';
import type { ScalerHistory } from './algorithm/index.js';
import { restoreHistory } from './persisted-history.js';

interface Entry {
  uid: string;
  history: ScalerHistory;
  /** Milliseconds: when status.currentMetrics was last refreshed (or when this process began to evaluate it). */
  metricsWrittenAt: number;
}

export class ScalerMemory {
  private readonly entries = new Map<string, Entry>();

  /** The entry of this Scaler (by key and uid: a Scaler created again under the same name starts afresh). */
  of(key: string, scaler: Scaler, now: number): Entry {
    const known = this.entries.get(key);
    if (known && known.uid === scaler.metadata.uid) return known;
    const entry = { uid: scaler.metadata.uid!, history: restoreHistory(scaler.status?.history, now), metricsWrittenAt: now };
    this.entries.set(key, entry);
    return entry;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
