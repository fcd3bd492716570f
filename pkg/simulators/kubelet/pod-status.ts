// The status a kubelet reports for a pod at each stage of its life, computed
// from the stage and its times: the same inputs always give the same status,
// so the runner writes only when something really changed.
import { createHash } from 'node:crypto';
import type { ContainerStatus, Pod, PodCondition, PodStatus } from '../../kube/core-types.js';
import { rfc3339 } from '../clock.js';
import { containsSubset } from '../../util/equality.js';

export type PodStage =
  | { kind: 'creating' }
  | { kind: 'image-pull-failed'; image: string; backingOff: boolean }
  | { kind: 'crash-looping'; startedAt: number; restarts: number }
  | { kind: 'running'; startedAt: number; ready: boolean }
  | { kind: 'exited'; startedAt: number; finishedAt: number; exitCode: number };

export interface PodStatusInputs {
  stage: PodStage;
  hostIP: string;
  podIP?: string;
  /** When the pod was bound: startTime. */
  boundAt: number;
  now: number;
}

const digest = (s: string): string => createHash('sha256').update(s).digest('hex');

function containerStatus(name: string, image: string, podUid: string, inputs: PodStatusInputs): ContainerStatus {
  const { stage } = inputs;
  const base = {
    name,
    image,
    imageID: `${image.split(':')[0]}@sha256:${digest(image)}`,
    restartCount: 0,
    lastState: {},
  };
  switch (stage.kind) {
    case 'creating':
      return { ...base, imageID: '', ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } };
    case 'image-pull-failed':
      if (image !== stage.image) {
        return { ...base, imageID: '', ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } };
      }
      return {
        ...base,
        imageID: '',
        ready: false,
        started: false,
        state: {
          waiting: stage.backingOff
            ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }
            : {
                reason: 'ErrImagePull',
                message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`,
              },
        },
      };
    case 'crash-looping':
      return {
        ...base,
        containerID: `containerd://${digest(podUid + name + stage.restarts)}`,
        ready: false,
        started: false,
        restartCount: stage.restarts,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.min(10 * 2 ** Math.max(stage.restarts - 1, 0), 300)}s restarting failed container=${name} pod=${podUid}` } },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: rfc3339(stage.startedAt),
            finishedAt: rfc3339(stage.startedAt),
            containerID: `containerd://${digest(podUid + name + stage.restarts)}`,
          },
        },
      };
    case 'running':
      return {
        ...base,
        containerID: `containerd://${digest(podUid + name)}`,
        ready: stage.ready,
        started: true,
        state: { running: { startedAt: rfc3339(stage.startedAt) } },
      };
    case 'exited':
      return {
        ...base,
        containerID: `containerd://${digest(podUid + name)}`,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: stage.exitCode,
            reason: stage.exitCode === 0 ? 'Completed' : 'Error',
            startedAt: rfc3339(stage.startedAt),
            finishedAt: rfc3339(stage.finishedAt),
            containerID: `containerd://${digest(podUid + name)}`,
          },
        },
      };
  }
}

function condition(
  previous: PodCondition[] | undefined,
  type: string,
  status: 'True' | 'False',
  at: number,
  reason?: string,
  message?: string,
): PodCondition {
  const old = previous?.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(at);
  // null clears a reason left over from an earlier status in the strategic merge patch.
  return { type, status, lastProbeTime: null, lastTransitionTime, reason: reason ?? null, message: message ?? null };
}

/** The kubelet-owned part of the pod's status. */
export function podStatus(pod: Pod, inputs: PodStatusInputs): PodStatus {
  const { stage, now } = inputs;
  const previous = pod.status?.conditions;
  const containers = pod.spec.containers.map((c) => containerStatus(c.name, c.image ?? '', pod.metadata.uid ?? '', inputs));
  const unready = containers.filter((c) => !c.ready).map((c) => c.name);
  const containersReady = unready.length === 0;
  const gates = (pod.spec.readinessGates ?? []).map((g) => g.conditionType);
  const failedGates = gates.filter((g) => previous?.find((c) => c.type === g)?.status !== 'True');
  const ready = containersReady && failedGates.length === 0;
  const sandboxReady = stage.kind !== 'creating';
  const exited = stage.kind === 'exited';
  const conditions: PodCondition[] = [
    condition(previous, 'PodReadyToStartContainers', sandboxReady && !exited ? 'True' : 'False', now),
    condition(previous, 'Initialized', 'True', now, exited ? 'PodCompleted' : undefined),
    ready
      ? condition(previous, 'Ready', 'True', now)
      : exited
        ? condition(previous, 'Ready', 'False', now, 'PodCompleted')
        : !containersReady
          ? condition(previous, 'Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
          : condition(previous, 'Ready', 'False', now, 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${failedGates[0]}" does not exist.`),
    containersReady
      ? condition(previous, 'ContainersReady', 'True', now)
      : exited
        ? condition(previous, 'ContainersReady', 'False', now, 'PodCompleted')
        : condition(previous, 'ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`),
  ];
  const phase: PodStatus['phase'] = exited
    ? stage.exitCode === 0
      ? 'Succeeded'
      : 'Failed'
    : stage.kind === 'running' || stage.kind === 'crash-looping'
      ? 'Running'
      : 'Pending';
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    startTime: rfc3339(inputs.boundAt),
    qosClass: qosClass(pod),
    containerStatuses: containers,
  };
  if (inputs.podIP && sandboxReady) {
    status.podIP = inputs.podIP;
    status.podIPs = [{ ip: inputs.podIP }];
  }
  return status;
}

export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = pod.spec.containers;
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? l;
    return l.cpu && l.memory && r.cpu === l.cpu && r.memory === l.memory;
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Whether the kubelet-owned fields of `current` already hold what `desired` states. */
export function sameStatus(current: PodStatus | undefined, desired: PodStatus): boolean {
  if (!current) return false;
  const { conditions, ...rest } = desired;
  if (!containsSubset(current, rest)) return false;
  return (conditions ?? []).every((want) => containsSubset(current.conditions?.find((c) => c.type === want.type), want));
}
