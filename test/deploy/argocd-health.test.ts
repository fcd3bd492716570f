// The Argo CD health checks in deploy/argocd/: each kind's Lua, run as Argo
// CD runs it, on objects whose conditions come from the same code the
// controllers use (summarize), and the argocd-cm snippet carrying exactly
// the same Lua. Needs no cluster.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { stratusKinds } from '../../pkg/api/resources.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import type { Condition } from '../../pkg/meta/object.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { Reasons } from '../../controllers/scaler/algorithm/constants.js';
import { globalDefined, lua51Problems, runHealthScript } from './lua.js';

const argocdDir = join(packageRoot(), 'deploy', 'argocd');
const kinds = stratusKinds.map((t) => t.kind);
const kstatusKinds = kinds.filter((k) => k !== 'IPAllocation' && k !== 'NetworkSegment');
const scriptPath = (kind: string) => join(argocdDir, 'stratus.dev', kind, 'health.lua');
const script = (kind: string) => readFileSync(scriptPath(kind), 'utf8');
const now = Date.parse('2025-01-01T00:00:00Z');

interface Sample {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; generation?: number };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function sample(kind: string, generation: number | undefined, status?: Record<string, unknown>): Sample {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind,
    metadata: { name: 'x', namespace: 'tenant', ...(generation === undefined ? {} : { generation }) },
    spec: {},
    ...(status ? { status } : {}),
  };
}

/** An object as the controllers leave it: conditions from summarize(), observedGeneration set. */
function reported(kind: string, summary: Summary, generation = 2, observedGeneration = generation, extra: Condition[] = []): Sample {
  const conditions = [...summarize(undefined, summary, observedGeneration, now), ...extra];
  return sample(kind, generation, { observedGeneration, conditions });
}

function condition(type: string, status: Condition['status'], reason: string, message: string): Condition {
  return { type, status, reason, message, lastTransitionTime: '2025-01-01T00:00:00Z', observedGeneration: 2 };
}

describe('per-kind scripts (deploy/argocd/stratus.dev/<Kind>/health.lua)', () => {
  it('exist for every Stratus kind', () => {
    expect(kinds.sort()).toEqual(['App', 'DiskImage', 'IPAllocation', 'Network', 'NetworkSegment', 'Restore', 'Scaler', 'Snapshot', 'SnapshotSchedule', 'VirtualMachine', 'Volume']);
    for (const kind of kinds) expect(existsSync(scriptPath(kind))).toBe(true);
  });

  it('run in Argo CD’s library set: no string or math library, nothing Lua 5.1 lacks', () => {
    // The harness opens what Argo CD opens for argocd-cm scripts, and no more.
    expect(globalDefined('table')).toBe(true);
    expect(globalDefined('ipairs')).toBe(true);
    expect(globalDefined('string')).toBe(false);
    expect(globalDefined('math')).toBe(false);
    for (const kind of kinds) expect({ kind, problems: lua51Problems(script(kind)) }).toEqual({ kind, problems: [] });
    // The checker itself catches what it is meant to.
    expect(lua51Problems('local x = string.find(a, "b")')).toHaveLength(1);
    expect(lua51Problems('local x = a // 2')).toHaveLength(1);
    expect(lua51Problems('local x = s:lower()')).toHaveLength(1);
    expect(lua51Problems('local x = "a // b: c(" -- string.find')).toEqual([]);
  });

  describe.each(kstatusKinds)('%s (kstatus)', (kind) => {
    const health = (obj: Sample) => runHealthScript(script(kind), obj);

    it('is Progressing before the controller reports anything', () => {
      expect(health(sample(kind, 1))).toEqual({ status: 'Progressing', message: 'Waiting for the controller to report status' });
      expect(health(sample(kind, 1, {}))).toEqual({ status: 'Progressing', message: 'Waiting for the controller to report status' });
      expect(health(sample(kind, 1, { conditions: [] }))).toEqual({ status: 'Progressing', message: 'Waiting for the controller to report status' });
      expect(health(sample(kind, undefined))).toMatchObject({ status: 'Progressing' });
    });

    it('is Progressing while the status describes an older generation, whatever it says', () => {
      const stale = reported(kind, { state: 'ready', reason: 'Ready', message: 'all good' }, 3, 2);
      expect(health(stale)).toEqual({ status: 'Progressing', message: 'Waiting for the controller to observe generation 3 (status is for 2)' });
      const staleStalled = reported(kind, { state: 'stalled', reason: 'ChildConflict', message: 'old problem' }, 5, 4);
      expect(health(staleStalled).status).toBe('Progressing');
    });

    it('is Progressing with the message while Reconciling', () => {
      const o = reported(kind, { state: 'progressing', reason: 'WaitingForVolume', message: 'waiting: Volume root is Importing (42.0%)' });
      expect(health(o)).toEqual({ status: 'Progressing', message: 'waiting: Volume root is Importing (42.0%)' });
    });

    it('is Degraded with the message when Stalled', () => {
      const o = reported(kind, { state: 'stalled', reason: 'ImagePullBackOff', message: 'Back-off pulling image "quay.io/x:does-not-exist"' });
      expect(health(o)).toEqual({ status: 'Degraded', message: 'Back-off pulling image "quay.io/x:does-not-exist"' });
    });

    it('is Healthy when Ready', () => {
      const o = reported(kind, { state: 'ready', reason: 'Running', message: 'running on node-2' });
      expect(health(o)).toEqual({ status: 'Healthy', message: 'running on node-2' });
    });

    it('uses the reason when a condition has no message', () => {
      expect(health(reported(kind, { state: 'ready', reason: 'Bound', message: '' }))).toEqual({ status: 'Healthy', message: 'Bound' });
      expect(health(reported(kind, { state: 'stalled', reason: 'ChildConflict', message: '' }))).toEqual({ status: 'Degraded', message: 'ChildConflict' });
    });

    it('is Progressing (never Degraded) when Ready is False or Unknown without Stalled, as kstatus says', () => {
      const notReady = sample(kind, 2, { observedGeneration: 2, conditions: [condition('Ready', 'False', 'Failed', 'something failed')] });
      expect(health(notReady)).toEqual({ status: 'Progressing', message: 'something failed' });
      const unknown = sample(kind, 2, { observedGeneration: 2, conditions: [condition('Ready', 'Unknown', 'Pending', 'pending')] });
      expect(health(unknown)).toEqual({ status: 'Progressing', message: 'pending' });
      const noReady = sample(kind, 2, { observedGeneration: 2, conditions: [condition('Other', 'True', 'Because', 'x')] });
      expect(health(noReady)).toEqual({ status: 'Progressing', message: 'Waiting for the Ready condition' });
    });

    it('reads a status without observedGeneration by its conditions (kstatus skips the generation check)', () => {
      const o = sample(kind, 7, { conditions: [condition('Ready', 'True', 'Ready', 'fine')] });
      expect(health(o)).toEqual({ status: 'Healthy', message: 'fine' });
    });
  });

  describe('Scaler', () => {
    const health = (obj: Sample) => runHealthScript(script('Scaler'), obj);
    const ready = { state: 'ready', reason: 'Scaling', message: 'desired 3 replicas' } as const;
    const failingReasons = Object.values(Reasons).filter((r) => /^FailedGet.*Metric$/.test(r));

    it('knows every FailedGet*Metric reason the Scaler algorithm reports', () => {
      expect(failingReasons).toEqual(expect.arrayContaining(['FailedGetResourceMetric', 'FailedGetPrometheusMetric']));
      for (const reason of failingReasons) {
        const o = reported('Scaler', ready, 2, 2, [condition('ScalingActive', 'False', reason, `unable to get metric: ${reason}`)]);
        expect(health(o)).toEqual({ status: 'Degraded', message: `unable to get metric: ${reason}` });
      }
    });

    it('is Degraded when metrics fail even while Ready, Healthy otherwise', () => {
      const failing = reported('Scaler', ready, 2, 2, [
        condition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale"),
        condition('ScalingActive', 'False', 'FailedGetResourceMetric', 'the HPA was unable to compute the replica count: unable to get metrics for resource cpu'),
      ]);
      expect(health(failing)).toEqual({ status: 'Degraded', message: 'the HPA was unable to compute the replica count: unable to get metrics for resource cpu' });

      const active = reported('Scaler', ready, 2, 2, [condition('ScalingActive', 'True', 'ValidMetricFound', 'ok')]);
      expect(health(active)).toEqual({ status: 'Healthy', message: 'desired 3 replicas' });
      // Scaled to zero: not active, by design.
      const disabled = reported('Scaler', ready, 2, 2, [condition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero')]);
      expect(health(disabled)).toEqual({ status: 'Healthy', message: 'desired 3 replicas' });
    });

    it('is Progressing, not Degraded, while its instances warm up and have no metrics yet', () => {
      const warming = reported('Scaler', { state: 'progressing', reason: 'WarmingUp', message: 'every instance is in its warm-up of 180s; their metrics count after it' }, 2, 2, [
        condition('ScalingActive', 'False', 'FailedGetResourceMetric', 'the HPA was unable to compute the replica count: did not receive metrics for targeted pods'),
      ]);
      expect(health(warming)).toEqual({ status: 'Progressing', message: 'every instance is in its warm-up of 180s; their metrics count after it' });
    });

    it('still puts an unobserved generation and Stalled first', () => {
      const failingMetric = [condition('ScalingActive', 'False', 'FailedGetPodsMetric', 'no metrics')];
      expect(health(reported('Scaler', ready, 4, 3, failingMetric)).status).toBe('Progressing');
      const stalled = reported('Scaler', { state: 'stalled', reason: 'InvalidTarget', message: 'App web does not exist' }, 2, 2, failingMetric);
      expect(health(stalled)).toEqual({ status: 'Degraded', message: 'App web does not exist' });
    });
  });

  describe('IPAllocation', () => {
    const health = (obj: Sample) => runHealthScript(script('IPAllocation'), obj);

    it('is always Healthy', () => {
      const o = { ...sample('IPAllocation', 1), spec: { network: 'backend', address: '192.168.50.10', owner: { kind: 'VirtualMachine', name: 'web-1', uid: 'u', interface: 'backend' } } };
      expect(health(o)).toEqual({ status: 'Healthy', message: 'Holds 192.168.50.10 on Network backend' });
      expect(health(sample('IPAllocation', 1))).toEqual({ status: 'Healthy', message: 'Address record' });
      expect(health(sample('IPAllocation', 1, { conditions: [condition('Stalled', 'True', 'X', 'y')] })).status).toBe('Healthy');
    });
  });

  describe('NetworkSegment', () => {
    const health = (obj: Sample) => runHealthScript(script('NetworkSegment'), obj);

    it('is always Healthy', () => {
      const o = { ...sample('NetworkSegment', 1), spec: { bridge: 'br-stratus', vlan: 1000, network: { namespace: 'tenant-a', name: 'backend', uid: 'u' } } };
      expect(health(o)).toEqual({ status: 'Healthy', message: 'VLAN 1000 on br-stratus for Network tenant-a/backend' });
      expect(health(sample('NetworkSegment', 1))).toEqual({ status: 'Healthy', message: 'Segment record' });
    });
  });
});

describe('deploy/argocd/argocd-cm.yaml', () => {
  const cm = parse(readFileSync(join(argocdDir, 'argocd-cm.yaml'), 'utf8')) as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };

  it('is an argocd-cm snippet whose health Lua is exactly the per-kind files', () => {
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' } });
    const healthKeys = Object.keys(cm.data).filter((k) => k.startsWith('resource.customizations.health.'));
    expect(healthKeys.sort()).toEqual(kinds.map((k) => `resource.customizations.health.stratus.dev_${k}`).sort());
    for (const kind of kinds) {
      // No drift: a check edited in one place only fails here.
      expect({ kind, lua: cm.data[`resource.customizations.health.stratus.dev_${kind}`] }).toEqual({ kind, lua: script(kind) });
    }
  });

  it('ignores spec.replicas of Apps and VirtualMachines in diffs', () => {
    for (const kind of ['App', 'VirtualMachine']) {
      const rule = parse(cm.data[`resource.customizations.ignoreDifferences.stratus.dev_${kind}`]!) as { jsonPointers: string[] };
      expect(rule).toEqual({ jsonPointers: ['/spec/replicas'] });
    }
  });

  it('pairs with an Application that respects the ignored differences on sync', () => {
    const apps = parseAllDocuments(readFileSync(join(argocdDir, 'application.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> });
    const stratus = apps.find((a) => a.metadata.name === 'stratus')!;
    expect(stratus.spec).toMatchObject({ source: { path: 'deploy' }, destination: { namespace: 'stratus-system' } });
    const tenant = apps.find((a) => a.metadata.name === 'tenant-a')!;
    expect(tenant.spec.ignoreDifferences).toEqual([
      { group: 'stratus.dev', kind: 'App', jsonPointers: ['/spec/replicas'] },
      { group: 'stratus.dev', kind: 'VirtualMachine', jsonPointers: ['/spec/replicas'] },
    ]);
    expect((tenant.spec.syncPolicy as { syncOptions: string[] }).syncOptions).toContain('RespectIgnoreDifferences=true');
  });
});
