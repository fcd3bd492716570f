// Which spec changes wait for a restart: the restart-relevant fields that
// differ from what the running instance was started with.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { deepEqual } from '../../pkg/util/equality.js';
import { appliedSpecAnnotation, restartRelevant } from './template.js';

/** spec.<field> for each restart-relevant field the running VMI does not reflect; [] when stopped. */
export function pendingChanges(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined): string[] {
  const applied = vmi?.metadata.annotations?.[appliedSpecAnnotation];
  if (!vmi || !applied) return [];
  let started: Record<string, unknown>;
  try {
    started = JSON.parse(applied) as Record<string, unknown>;
  } catch {
    return [];
  }
  const now = restartRelevant(vm);
  return Object.keys(now)
    .filter((k) => !deepEqual(now[k], started[k]))
    .map((k) => `spec.${k}`);
}
