// How each spec change reaches a running VM (pure): live — KubeVirt's
// LiveUpdate rollout strategy applies it to the running instance — or at the
// next restart. A change is compared with what the instance started with (the
// applied-spec annotation its template carried) and with what it runs now
// (more cores and memory arrive through a migration to a bigger launcher
// pod, disks through hotplug, interfaces through hotplug or unplug), as
// KubeVirt decides it (RestartRequired rules of its VM controller):
//   cpu         more cores up to the VMI's maxSockets (spec.cpu.maxCores, default 4× at start), for a VM that can migrate
//   memory      up to maxGuest (spec.maxMemory, default 4× at start, from 1Gi), not below the boot size, for a VM that can migrate
//   disks       added or removed virtio/SCSI data disks (hotplug)
//   networks    added or removed secondary interfaces (hotplug, unplug)
//   nodeSelector applies to where the VM runs from its next move
//   anything else (root disk, cloud-init, SSH keys, instancetype, maxCores, maxMemory, eviction strategy, fewer cores) at a restart.
import type { Disk, VirtualMachine } from '../../pkg/api/types.generated.js';
import { conditionOf, hasCondition, type VirtualMachine as KubeVirtVirtualMachine, type VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { parseQuantity } from '../../pkg/kube/quantity.js';
import { deepEqual } from '../../pkg/util/equality.js';
import { interfacesIn, interfacesOf } from './addressing.js';
import { appliedSpecAnnotation, hotpluggableBus, laterFields, restartRelevant } from './template.js';

export type ChangeState = 'live' | 'applying' | 'pending';

export interface Change {
  /** spec.<field> */
  field: string;
  state: ChangeState;
  /** Why a pending change waits for a restart. */
  why?: string;
}

type Spec = ReturnType<typeof restartRelevant>;
type Started = Partial<Record<keyof Spec, unknown>>;
type Verdict = { state: ChangeState; why?: string };

const live: Verdict = { state: 'live' };
const applying: Verdict = { state: 'applying' };
const pending = (why: string): Verdict => ({ state: 'pending', why });

interface Context {
  vmi: VirtualMachineInstance;
  /** KubeVirt's VM says a change needs a restart: it then applies no CPU, memory or placement change live. */
  restartRequired: boolean;
  /** Why the VMI cannot migrate, when it cannot. */
  notMigratable?: string;
}

/** The worst of several verdicts: one pending makes the field pending, one applying makes it applying. */
function worst(verdicts: Verdict[]): Verdict {
  return verdicts.find((v) => v.state === 'pending') ?? verdicts.find((v) => v.state === 'applying') ?? live;
}

function cpu(started: Spec['cpu'], now: Spec['cpu'], c: Context): Verdict {
  const s = { cores: 1, dedicated: false, ...started };
  const n = { cores: 1, dedicated: false, ...now };
  if (s.dedicated !== n.dedicated || s.maxCores !== n.maxCores) return pending('dedicated CPUs and maxCores take effect at a restart');
  const vcpu = c.vmi.spec.domain.cpu;
  if (!vcpu?.maxSockets || (vcpu.cores ?? 1) !== 1 || (vcpu.threads ?? 1) !== 1) return pending('the VM started without room for more cores; they come with its next restart');
  if (c.vmi.status?.currentCPUTopology?.sockets === n.cores && !hasCondition(c.vmi, 'HotVCPUChange')) return live;
  if (n.cores < (vcpu.sockets ?? 1)) return pending('fewer cores take effect at a restart');
  if (n.cores > vcpu.maxSockets) return pending(`the VM can grow to ${vcpu.maxSockets} cores without a restart (spec.cpu.maxCores)`);
  if (c.restartRequired && vcpu.sockets !== n.cores) return pending('KubeVirt applies it with the restart another change needs');
  if (c.notMigratable) return pending(`KubeVirt adds cores by moving the VM, and it cannot live-migrate: ${c.notMigratable}`);
  return applying;
}

const bytes = (q: unknown): number | undefined => (q === undefined ? undefined : parseQuantity(String(q)));

function memory(now: Spec['memory'], c: Context): Verdict {
  const want = bytes(now ?? '1Gi')!;
  const vmem = c.vmi.spec.domain.memory;
  const status = c.vmi.status?.memory;
  if (bytes(status?.guestCurrent) === want && !hasCondition(c.vmi, 'HotMemoryChange')) return live;
  const max = bytes(vmem?.maxGuest);
  if (max === undefined) return pending('the VM started without room for more memory (it needs at least 1Gi, a multiple of 2Mi); it comes with its next restart');
  if (want < (bytes(status?.guestAtBoot) ?? 0)) return pending('less memory than the VM started with takes effect at a restart');
  if (want > max) return pending(`the VM can grow to ${vmem!.maxGuest} without a restart (spec.maxMemory)`);
  if (c.restartRequired && bytes(vmem?.guest) !== want) return pending('KubeVirt applies it with the restart another change needs');
  if (c.notMigratable) return pending(`KubeVirt adds memory by moving the VM, and it cannot live-migrate: ${c.notMigratable}`);
  return applying;
}

function disks(started: Disk[] = [], now: Disk[] = [], c: Context): Verdict {
  const before = new Map(started.map((d) => [d.name, d]));
  const verdicts: Verdict[] = [];
  for (const d of now) {
    const old = before.get(d.name);
    before.delete(d.name);
    if (old && deepEqual(old, d)) continue;
    if (old) verdicts.push(pending(`disk ${d.name} changes at a restart`));
    else if (!hotpluggableBus(d)) verdicts.push(pending(`disk ${d.name} is attached at a restart: only virtio and scsi disks are added live`));
    else verdicts.push(c.vmi.status?.volumeStatus?.some((s) => s.name === d.name && s.phase === 'Ready') ? live : applying);
  }
  for (const name of before.keys()) {
    const volume = c.vmi.spec.volumes?.find((v) => v.name === name);
    const gone = !volume && !c.vmi.status?.volumeStatus?.some((s) => s.name === name);
    if (gone) verdicts.push(live);
    else if (volume?.persistentVolumeClaim?.hotpluggable || volume?.dataVolume?.hotpluggable) verdicts.push(applying);
    else verdicts.push(pending(`disk ${name} was attached at boot and is removed at a restart`));
  }
  return worst(verdicts);
}

type Iface = ReturnType<typeof interfacesOf>[number];

function networks(started: Iface[], now: Iface[], c: Context): Verdict {
  const before = new Map(started.map((i) => [i.name, i]));
  const reported = (name: string) => c.vmi.status?.interfaces?.find((s) => s.name === name);
  const verdicts: Verdict[] = [];
  for (const i of now) {
    const old = before.get(i.name);
    before.delete(i.name);
    if (old && deepEqual(old, i)) continue;
    if (old || !i.network) verdicts.push(pending(`interface ${i.name} changes at a restart`));
    else verdicts.push(reported(i.name)?.infoSource?.includes('domain') ? live : applying);
  }
  for (const old of before.values()) {
    if (!old.network) verdicts.push(pending(`interface ${old.name} on the pod network is removed at a restart`));
    else verdicts.push(!c.vmi.spec.domain.devices?.interfaces?.some((x) => x.name === old.name) && !reported(old.name) ? live : applying);
  }
  return worst(verdicts);
}

function nodeSelector(now: Spec['nodeSelector'], c: Context): Verdict {
  if (deepEqual(c.vmi.spec.nodeSelector ?? {}, now ?? {})) return live;
  return c.restartRequired ? pending('KubeVirt applies it with the restart another change needs') : applying;
}

/** Spec fields that differ from what the running instance started with (or, for cores, from what it runs with), and how each takes effect. */
export function changesOf(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, kubevirtVm?: KubeVirtVirtualMachine): Change[] {
  const applied = vmi?.metadata.annotations?.[appliedSpecAnnotation];
  if (!vmi || !applied) return [];
  let started: Started;
  try {
    started = JSON.parse(applied) as Started;
  } catch {
    return [];
  }
  const now = restartRelevant(vm);
  const migratable = conditionOf(vmi, 'LiveMigratable');
  const c: Context = {
    vmi,
    restartRequired: hasCondition(kubevirtVm, 'RestartRequired'),
    notMigratable: migratable?.status === 'True' ? undefined : `${migratable?.reason || 'NotMigratable'}: ${migratable?.message || 'KubeVirt has not found it migratable'}`,
  };
  const out: Change[] = [];
  for (const key of Object.keys(now) as (keyof Spec)[]) {
    // A later field the instance's record does not mention was unknown when it started: not a change.
    if (laterFields.includes(key) && !(key in started)) continue;
    const was = started[key] ?? undefined;
    // No networks listed is one interface on the pod network.
    const changed = key === 'networks' ? !deepEqual(interfacesIn(was as Iface[] | undefined), interfacesOf(vm)) : !deepEqual(now[key], was);
    const sockets = key === 'cpu' && vmi.spec.domain.cpu?.maxSockets && vmi.spec.domain.cpu.sockets !== (now.cpu?.cores ?? 1);
    if (!changed && !sockets) continue;
    let verdict: Verdict;
    switch (key) {
      case 'cpu':
        verdict = cpu(was as Spec['cpu'], now.cpu, c);
        break;
      case 'memory':
        verdict = memory(now.memory, c);
        break;
      case 'disks':
        verdict = disks(was as Disk[] | undefined, now.disks, c);
        break;
      case 'networks':
        verdict = networks(interfacesIn(was as Iface[] | undefined), interfacesOf(vm), c);
        break;
      case 'nodeSelector':
        verdict = nodeSelector(now.nodeSelector, c);
        break;
      default:
        verdict = pending(`spec.${key} takes effect at a restart`);
    }
    // Back where it started, with nothing left to apply: no change at all.
    if (!changed && verdict.state === 'live') continue;
    out.push({ field: `spec.${key}`, ...verdict });
  }
  return out;
}
