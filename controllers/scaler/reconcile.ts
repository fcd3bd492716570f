// Scaler reconcile: read the target's /scale and its pods, fetch the
// metrics, run the algorithm, write /scale when it says so, and report.
import { Scalers } from '../../pkg/api/resources.js';
import type { Scaler } from '../../pkg/api/types.generated.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { RestMapper } from '../../pkg/runtime/client/rest-mapper.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { conditionTime } from '../../pkg/runtime/conditions/conditions.js';
import type { ReconcileContext, Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { evaluateScaler, failedRescaleCondition } from './algorithm/index.js';
import { scalerInput, warmupMs } from './input.js';
import { ScalerMemory } from './memory.js';
import type { MetricsClient } from './metrics-client.js';
import { scalerStatus, type ScalerObservation } from './status.js';
import { resolveTarget } from './target.js';
import type { ScalerWatches } from './watches.js';

export class ScalerReconciler implements Reconciler {
  private readonly memory = new ScalerMemory();

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly mapper: RestMapper,
    private readonly metrics: MetricsClient,
    private readonly watches: ScalerWatches,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    const scaler = this.cache.get<Scaler>(Scalers, req.namespace, req.name);
    if (!scaler || scaler.metadata.deletionTimestamp) {
      this.memory.forget(req.key);
      return;
    }
    const interval = (scaler.spec.pollingIntervalSeconds ?? 15) * 1000;
    const now = this.now();
    const memory = this.memory.of(req.key, scaler, now);
    await this.watches.ensure(scaler);
    const found = await resolveTarget(scaler, this.mapper, this.client, this.cache);
    const o: ScalerObservation = { now, metricsWrittenAt: memory.metricsWrittenAt };
    if ('problem' in found) o.problem = found.problem;
    if ('target' in found) {
      const { target } = found;
      const current = target.scale.spec.replicas ?? 0;
      o.currentReplicas = current;
      o.selector = target.scale.status.selector;
      // Someone else set the replicas since our last write: say so (HPA would silently fight).
      const ours = scaler.status?.desiredReplicas;
      if (ours !== undefined && scaler.status?.lastScaleTime && ours !== current) {
        o.overriddenBy = `${scaler.spec.scaleTargetRef.kind} ${scaler.spec.scaleTargetRef.name} has ${current} replicas, but the Scaler last set ${ours}: another actor changed them`;
      }
      const warmup = warmupMs(scaler);
      const values = await this.metrics.fetch(scaler, target, warmup, now);
      const young = target.pods.filter((p) => p.status?.startTime && now - Date.parse(p.status.startTime) < warmup);
      if (target.pods.length && young.length === target.pods.length) o.warmingUp = `every instance is in its warm-up of ${warmup / 1000}s; their metrics count after it`;
      const result = evaluateScaler(scalerInput(scaler, memory.history, current, target.scale.status.replicas, o.selector, target.pods, values, now));
      o.result = result;
      o.history = result.history;
      if (result.rescale) {
        try {
          await this.client.patchScale(target.type, scaler.metadata.namespace, scaler.spec.scaleTargetRef.name, result.desiredReplicas);
          o.lastScaleTime = conditionTime(now);
          o.overriddenBy = undefined;
          const why = result.rescaleReason ?? result.conditions.find((c) => c.type === 'ScalingActive' || c.type === 'Active')?.message ?? '';
          this.events.event(scaler, 'Normal', 'SuccessfulRescale', `New size: ${result.desiredReplicas}; reason: ${why}`);
          ctx.log.info('rescaled', { from: current, to: result.desiredReplicas, reason: why });
        } catch (err) {
          const message = (err as Error).message;
          o.history = result.historyIfRescaleFails;
          o.extraConditions = [failedRescaleCondition(message)];
          this.events.event(scaler, 'Warning', 'FailedRescale', `New size: ${result.desiredReplicas}; error: ${message}`);
        }
      }
      if (o.overriddenBy && scaler.status?.conditions?.every((c) => c.type !== 'TargetOverridden')) {
        this.events.event(scaler, 'Warning', 'ReplicasOverridden', o.overriddenBy);
      }
    }
    if (o.history) memory.history = o.history;
    const built = scalerStatus(scaler, o);
    await writeStatus(this.client, Scalers, scaler, built.status);
    if (built.metricsRefreshed) memory.metricsWrittenAt = now;
    return { requeueAfterMs: interval };
  }
}
