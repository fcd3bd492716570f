// kstatus: the health of any object as Flux, Argo CD and `kubectl wait`
// read it — Current, InProgress, Failed (or Terminating / NotFound), with the
// condition message that explains it.
import type { Condition, KubeObject } from '../meta/object.js';

export type HealthStatus = 'Current' | 'InProgress' | 'Failed' | 'Terminating' | 'NotFound';

export interface Health {
  status: HealthStatus;
  message: string;
}

function condition(obj: KubeObject, type: string): Condition | undefined {
  return ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
}

/** Deployments' own rules (kstatus's built-in), the rest by conditions. */
function deploymentHealth(obj: KubeObject): Health | undefined {
  if (obj.kind !== 'Deployment') return undefined;
  const spec = obj.spec as { replicas?: number };
  const st = (obj.status ?? {}) as { replicas?: number; updatedReplicas?: number; availableReplicas?: number; readyReplicas?: number };
  const want = spec.replicas ?? 1;
  const progressing = condition(obj, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return { status: 'Failed', message: progressing.message };
  if ((st.updatedReplicas ?? 0) < want) return { status: 'InProgress', message: `Updated: ${st.updatedReplicas ?? 0}/${want}` };
  if ((st.replicas ?? 0) > want) return { status: 'InProgress', message: `Pending termination: ${(st.replicas ?? 0) - want}` };
  if ((st.availableReplicas ?? 0) < want) return { status: 'InProgress', message: `Available: ${st.availableReplicas ?? 0}/${want}` };
  return { status: 'Current', message: `Deployment is available. Replicas: ${want}` };
}

export function health(obj: KubeObject | undefined): Health {
  if (!obj) return { status: 'NotFound', message: 'not found' };
  if (obj.metadata.deletionTimestamp) return { status: 'Terminating', message: 'being deleted' };
  const observed = (obj.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  const generation = obj.metadata.generation;
  const byKind = deploymentHealth(obj);
  if (byKind && !(observed !== undefined && generation !== undefined && observed < generation)) return byKind;
  const conditions = (obj.status as { conditions?: Condition[] } | undefined)?.conditions;
  if (!obj.status || (!conditions && observed === undefined)) {
    // Kinds without status (ConfigMaps, Secrets, RBAC) are current once they exist.
    return obj.status === undefined || Object.keys(obj.status as object).length === 0
      ? { status: 'Current', message: 'Resource is current' }
      : { status: 'InProgress', message: 'waiting for status' };
  }
  if (observed !== undefined && generation !== undefined && observed < generation) {
    return { status: 'InProgress', message: `the controller has not seen generation ${generation} yet (observed ${observed})` };
  }
  const stalled = condition(obj, 'Stalled');
  if (stalled?.status === 'True') return { status: 'Failed', message: `${stalled.reason}: ${stalled.message}` };
  const reconciling = condition(obj, 'Reconciling');
  if (reconciling?.status === 'True') return { status: 'InProgress', message: `${reconciling.reason}: ${reconciling.message}` };
  const ready = condition(obj, 'Ready');
  if (ready?.status === 'True') return { status: 'Current', message: ready.message || ready.reason };
  if (ready) return { status: 'InProgress', message: `${ready.reason}: ${ready.message}` };
  return { status: 'Current', message: 'Resource is current' };
}
