// deploy/'s RBAC on the real kube-apiserver: the ServiceAccount can do
// exactly what the controllers need (one table, the same as the comment in
// deploy/rbac.yaml), cannot do what they do not, uses no wildcard, and the
// real controllers run under it (its own token) without a single 403.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { stratusAdmissionPolicies, stratusCrds } from '../../pkg/api/install.js';
import * as apiResources from '../../pkg/api/resources.js';
import * as kubeResources from '../../pkg/kube/resources.js';
import * as cdiResources from '../../pkg/contracts/cdi/resources.js';
import * as csiSnapshotResources from '../../pkg/contracts/csi-snapshot/resources.js';
import * as gatewayResources from '../../pkg/contracts/gateway/resources.js';
import * as kubevirtResources from '../../pkg/contracts/kubevirt/resources.js';
import * as multusResources from '../../pkg/contracts/multus/resources.js';
import { Volumes, VirtualMachines } from '../../pkg/api/resources.js';
import type { Volume, VirtualMachine } from '../../pkg/api/types.generated.js';
import { PersistentVolumeClaims } from '../../pkg/kube/resources.js';
import { startOperator, type RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { isNotFound } from '../../pkg/runtime/client/api-error.js';
import { createLogger } from '../../pkg/runtime/log/logger.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient, testKubeConfig } from '../support/kube.js';
import { exampleIn } from '../support/operator.js';
import { renderDeploy, toYaml, type RoleObject } from './render.js';

const system = 'stratus-system';
const account = 'stratus-controllers';
const user = `system:serviceaccount:${system}:${account}`;
const groups = ['system:serviceaccounts', `system:serviceaccounts:${system}`, 'system:authenticated'];
const fieldManager = 'stratus-deploy-test';
const RoleBindingType = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true };

// ---------------------------------------------------------------------------
// What the controllers need: the table of deploy/rbac.yaml's comment.
// [API group, resource or resource/subresource, verbs, who / why]
// ---------------------------------------------------------------------------
type Row = readonly [group: string, resource: string, verbs: readonly string[], why: string];

const read = ['get', 'list', 'watch'] as const;
const child = ['get', 'list', 'watch', 'create', 'patch'] as const;
const scale = ['get', 'patch', 'update'] as const;

const clusterPermissions: readonly Row[] = [
  ['stratus.dev', 'virtualmachines', [...read, 'create'], 'VM controller; Volume/Network find their users; Restore into a new VM'],
  ['stratus.dev', 'volumes', [...read, 'create', 'patch'], 'Volume controller (finalizer); Restore into a new VM'],
  ['stratus.dev', 'snapshots', [...read, 'create', 'patch', 'delete'], 'Snapshot controller (finalizer); SnapshotSchedule takes and retires them'],
  ['stratus.dev', 'restores', read, 'Restore controller'],
  ['stratus.dev', 'snapshotschedules', read, 'SnapshotSchedule controller'],
  ['stratus.dev', 'diskimages', [...read, 'patch'], 'DiskImage controller (finalizer)'],
  ['stratus.dev', 'networks', [...read, 'patch'], 'Network controller (finalizer)'],
  ['stratus.dev', 'apps', read, 'users of Volumes/Networks; App controller'],
  ['stratus.dev', 'scalers', read, 'Scaler controller'],
  ['stratus.dev', 'ipallocations', [...read, 'create', 'delete'], 'address allocator'],
  ['stratus.dev', 'networksegments', [...read, 'create', 'delete'], "tenant Networks' VLANs"],
  ['stratus.dev', 'virtualmachines/status', ['patch'], 'status (SSA on /status)'],
  ['stratus.dev', 'volumes/status', ['patch'], 'status'],
  ['stratus.dev', 'networks/status', ['patch'], 'status'],
  ['stratus.dev', 'apps/status', ['patch'], 'status'],
  ['stratus.dev', 'scalers/status', ['patch'], 'status'],
  ['stratus.dev', 'snapshots/status', ['patch'], 'status'],
  ['stratus.dev', 'restores/status', ['patch'], 'status'],
  ['stratus.dev', 'snapshotschedules/status', ['patch'], 'status'],
  ['stratus.dev', 'diskimages/status', ['patch'], 'status'],
  ['stratus.dev', 'virtualmachines/scale', scale, 'Scaler target (VirtualMachine group)'],
  ['stratus.dev', 'apps/scale', scale, 'Scaler target (App)'],
  ['stratus.dev', 'virtualmachines/finalizers', ['update'], 'blockOwnerDeletion (OwnerReferencesPermissionEnforcement)'],
  ['stratus.dev', 'volumes/finalizers', ['update'], 'blockOwnerDeletion'],
  ['stratus.dev', 'networks/finalizers', ['update'], 'blockOwnerDeletion'],
  ['stratus.dev', 'apps/finalizers', ['update'], 'blockOwnerDeletion'],
  ['stratus.dev', 'snapshots/finalizers', ['update'], 'blockOwnerDeletion'],
  ['stratus.dev', 'restores/finalizers', ['update'], 'blockOwnerDeletion'],
  ['stratus.dev', 'diskimages/finalizers', ['update'], 'blockOwnerDeletion'],
  ['', 'pods', read, "address pools: instances' leases; Scaler target pods"],
  ['', 'configmaps', read, 'Scaler Object/External metrics'],
  ['', 'services', [...child, 'delete'], "VM/App Services, an App's revisions' too"],
  ['', 'secrets', [...child, 'delete'], 'VM SSH Secrets; Prometheus authSecretRef'],
  ['', 'persistentvolumeclaims', child, 'Volume claims, growth, Retain'],
  ['apps', 'deployments', [...child, 'delete'], 'App controller: a Deployment per revision, old ones collected'],
  ['apps', 'deployments/scale', scale, "Scaler target; each App revision's instances"],
  ['apps', 'statefulsets/scale', scale, 'Scaler target'],
  ['storage.k8s.io', 'storageclasses', read, 'Volume expansion'],
  ['kubevirt.io', 'virtualmachines', child, 'single VMs'],
  ['kubevirt.io', 'virtualmachineinstances', [...read, 'delete'], 'status; restart'],
  ['kubevirt.io', 'virtualmachineinstancemigrations', child, 'requested moves, group drains; status'],
  ['pool.kubevirt.io', 'virtualmachinepools', child, 'VM groups'],
  ['cdi.kubevirt.io', 'datavolumes', [...child, 'delete'], 'imports and clones; Retain; DiskImage revisions'],
  ['cdi.kubevirt.io', 'datavolumes/source', ['create'], "CDI's clone authorization"],
  ['cdi.kubevirt.io', 'datasources', child, "a DiskImage's DataSource"],
  ['snapshot.kubevirt.io', 'virtualmachinesnapshots', child, 'VM Snapshots'],
  ['snapshot.kubevirt.io', 'virtualmachinerestores', child, 'Restores in place'],
  ['snapshot.kubevirt.io', 'virtualmachinesnapshotcontents', read, "a VM snapshot's disks"],
  ['snapshot.storage.k8s.io', 'volumesnapshots', child, 'Volume Snapshots'],
  ['snapshot.storage.k8s.io', 'volumesnapshotcontents', [...read, 'patch'], 'deletionPolicy Retain'],
  ['snapshot.storage.k8s.io', 'volumesnapshotclasses', read, "the class of a Volume's driver"],
  ['k8s.cni.cncf.io', 'network-attachment-definitions', [...child, 'delete'], 'Network → NADs; App address pools'],
  ['k8s.cni.cncf.io', 'multi-networkpolicies', [...child, 'delete'], 'Network rules'],
  ['networking.k8s.io', 'networkpolicies', [...child, 'delete'], 'Network rules'],
  ['gateway.networking.k8s.io', 'httproutes', [...child, 'delete'], 'App routes'],
  ['gateway.networking.k8s.io', 'listenersets', [...child, 'delete'], "an App's HTTPS listeners"],
  ['events.k8s.io', 'events', ['create', 'patch'], 'EventRecorder'],
  ['metrics.k8s.io', 'pods', ['get', 'list'], 'Scaler resource metrics'],
];

/** The Role in stratus-system: [verb, resourceName or undefined for any]. */
const leasePermissions: readonly (readonly [string, string | undefined])[] = [
  ['create', undefined],
  ['get', account],
  ['update', account],
];

/** Things the account must not be able to do: [verb, group, resource/subresource, namespace, name?]. */
const forbidden: readonly (readonly [string, string, string, string, string?])[] = [
  ['delete', '', 'namespaces', ''],
  ['create', '', 'namespaces', ''],
  ['create', 'rbac.authorization.k8s.io', 'clusterroles', ''],
  ['create', 'rbac.authorization.k8s.io', 'clusterrolebindings', ''],
  ['bind', 'rbac.authorization.k8s.io', 'clusterroles', '', 'cluster-admin'],
  ['escalate', 'rbac.authorization.k8s.io', 'clusterroles', '', account],
  ['create', 'rbac.authorization.k8s.io', 'rolebindings', 'tenant'],
  ['impersonate', '', 'users', ''],
  ['impersonate', '', 'serviceaccounts', 'tenant'],
  ['create', '', 'pods', 'tenant'],
  ['create', '', 'pods/exec', 'tenant'],
  ['delete', '', 'pods', 'tenant'],
  ['create', '', 'serviceaccounts/token', 'tenant'],
  ['patch', '', 'nodes', ''],
  ['get', '', 'persistentvolumes', ''],
  ['delete', '', 'persistentvolumeclaims', 'tenant'],
  ['create', '', 'configmaps', 'tenant'],
  ['create', '', 'events', 'tenant'],
  ['delete', 'events.k8s.io', 'events', 'tenant'],
  ['list', 'apps', 'replicasets', 'tenant'],
  ['patch', 'gateway.networking.k8s.io', 'gateways', 'tenant'],
  ['get', 'gateway.networking.k8s.io', 'gatewayclasses', ''],
  ['create', 'apps', 'statefulsets', 'tenant'],
  ['patch', 'apps', 'statefulsets', 'tenant'],
  ['create', 'apiextensions.k8s.io', 'customresourcedefinitions', ''],
  ['update', 'apiextensions.k8s.io', 'customresourcedefinitions', '', 'virtualmachines.stratus.dev'],
  ['create', 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ''],
  ['delete', 'stratus.dev', 'virtualmachines', 'tenant'],
  ['delete', 'stratus.dev', 'volumes', 'tenant'],
  ['update', 'stratus.dev', 'virtualmachines', 'tenant'],
  ['delete', 'stratus.dev', 'restores', 'tenant'],
  ['delete', 'stratus.dev', 'diskimages', 'tenant'],
  ['create', 'stratus.dev', 'snapshotschedules', 'tenant'],
  ['delete', 'snapshot.storage.k8s.io', 'volumesnapshotcontents', ''],
  ['delete', 'snapshot.kubevirt.io', 'virtualmachinesnapshots', 'tenant'],
  ['create', 'stratus.dev', 'apps', 'tenant'],
  ['patch', 'stratus.dev', 'scalers', 'tenant'],
  ['delete', 'kubevirt.io', 'virtualmachines', 'tenant'],
  ['patch', 'kubevirt.io', 'virtualmachineinstances', 'tenant'],
  ['list', 'coordination.k8s.io', 'leases', system],
  ['update', 'coordination.k8s.io', 'leases', system, 'someone-else'],
  ['get', 'coordination.k8s.io', 'leases', 'kube-system', 'kube-controller-manager'],
  ['update', 'coordination.k8s.io', 'leases', 'kube-system', 'kube-controller-manager'],
  ['create', 'coordination.k8s.io', 'leases', 'tenant'],
];

// ---------------------------------------------------------------------------

let client: Client;

interface Access {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
  name?: string;
}

async function allowed(a: Access): Promise<boolean> {
  const [resource, subresource] = a.resource.split('/');
  const review = await client.rest.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user,
        groups,
        resourceAttributes: { verb: a.verb, group: a.group, resource, subresource, namespace: a.namespace, name: a.name },
      },
    },
  });
  return review.status.allowed;
}

const key = (group: string, resource: string, verb: string) => `${group || 'core'} ${resource} ${verb}`;
const tableKeys = new Set(clusterPermissions.flatMap(([g, r, verbs]) => verbs.map((v) => key(g, r, v))));

function ruleKeys(role: RoleObject): Set<string> {
  const keys = new Set<string>();
  for (const rule of role.rules) {
    for (const g of rule.apiGroups ?? []) for (const r of rule.resources ?? []) for (const v of rule.verbs) keys.add(key(g, r, v));
  }
  return keys;
}

async function rbacObjects(): Promise<KubeObject[]> {
  return (await renderDeploy()).filter((o) => ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(o.kind!));
}

beforeAll(async () => {
  client = testClient();
  // For real: the namespace, the account and its RBAC (not the CRDs, which the
  // global setup installed under field manager "stratus").
  const r = await kubectl(['apply', '--server-side', `--field-manager=${fieldManager}`, '-f', '-'], toYaml(await rbacObjects()));
  if (r.code !== 0) throw new Error(`applying deploy/ RBAC failed: ${r.stderr}`);
});

afterAll(async () => {
  await kubectl(['delete', '--ignore-not-found', '--wait=false', 'clusterrolebinding/stratus-controllers', 'clusterrole/stratus-controllers']);
  await kubectl(['delete', '--ignore-not-found', '--wait=false', 'namespace', system]);
  client.rest.close();
});

describe('deploy/rbac.yaml', () => {
  it('grants exactly the table, naming every group, resource and verb (no "*")', async () => {
    const roles = (await renderDeploy()).filter((o) => (o.kind === 'ClusterRole' || o.kind === 'Role') && o.metadata.name!.startsWith(account)) as RoleObject[];
    expect(roles.map((r) => `${r.kind}/${r.metadata.name}`).sort()).toEqual(['ClusterRole/stratus-controllers', 'Role/stratus-controllers-leader-election']);
    for (const role of roles) {
      for (const rule of role.rules) {
        const names = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs, ...(rule.resourceNames ?? [])];
        expect(names.filter((n) => n.includes('*'))).toEqual([]);
        expect(rule.nonResourceURLs).toBeUndefined();
      }
    }
    const clusterRole = roles.find((r) => r.kind === 'ClusterRole')!;
    expect([...ruleKeys(clusterRole)].sort()).toEqual([...tableKeys].sort());

    const role = roles.find((r) => r.kind === 'Role')!;
    expect(role.metadata.namespace).toBe(system);
    const leaseRules = role.rules.flatMap((rule) => {
      expect(rule).toMatchObject({ apiGroups: ['coordination.k8s.io'], resources: ['leases'] });
      return rule.verbs.map((v) => [v, rule.resourceNames?.join(',')] as const);
    });
    expect(leaseRules.sort()).toEqual([...leasePermissions].sort());
  });

  it('is what the API server holds, wildcard-free, after applying it', async () => {
    const live = (await client.rest.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/stratus-controllers')) as RoleObject;
    expect([...ruleKeys(live)].sort()).toEqual([...tableKeys].sort());
    expect(JSON.stringify(live.rules)).not.toContain('*');
    const binding = (await client.rest.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/stratus-controllers')) as KubeObject & { subjects: unknown[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account, namespace: system }]);
  });

  it('lets the account do everything in the table, in any namespace and across all namespaces', async () => {
    const denied: string[] = [];
    for (const [group, resource, verbs] of clusterPermissions) {
      for (const verb of verbs) {
        const namespaced = !['storageclasses', 'volumesnapshotcontents', 'volumesnapshotclasses'].includes(resource);
        // In one tenant's namespace, and (what informers do) across all namespaces.
        const scopes = namespaced ? ['tenant-a', ...(verb === 'list' || verb === 'watch' ? [''] : [])] : [''];
        for (const namespace of scopes) {
          if (!(await allowed({ verb, group, resource, namespace }))) denied.push(`${key(group, resource, verb)} in ${namespace || '(all)'}`);
        }
      }
    }
    for (const [verb, name] of leasePermissions) {
      if (!(await allowed({ verb, group: 'coordination.k8s.io', resource: 'leases', namespace: system, name }))) denied.push(`leases ${verb} ${name ?? ''}`);
    }
    expect(denied).toEqual([]);
  });

  it('does not let the account do what the controllers never do', async () => {
    const granted: string[] = [];
    for (const [verb, group, resource, namespace, name] of forbidden) {
      if (await allowed({ verb, group, resource, namespace, name })) granted.push(`${verb} ${group || 'core'} ${resource} in ${namespace || '(cluster)'} ${name ?? ''}`);
    }
    expect(granted).toEqual([]);
  });

  it('answers kubectl auth can-i --as the account the same way', async () => {
    const canI = async (...args: string[]) => (await kubectl(['auth', 'can-i', `--as=${user}`, ...args])).stdout.trim();
    expect(await canI('watch', 'virtualmachines.stratus.dev', '--all-namespaces')).toBe('yes');
    expect(await canI('patch', 'virtualmachines.stratus.dev', '--subresource=status', '-n', 'tenant-a')).toBe('yes');
    expect(await canI('update', 'apps.stratus.dev', '--subresource=scale', '-n', 'tenant-a')).toBe('yes');
    expect(await canI('create', 'virtualmachinepools.pool.kubevirt.io', '-n', 'tenant-a')).toBe('yes');
    expect(await canI('update', 'leases.coordination.k8s.io/stratus-controllers', '-n', system)).toBe('yes');
    // Secrets everywhere, kube-system included: the VM controller's Secret
    // informer lists all namespaces (documented in deploy/rbac.yaml).
    expect(await canI('list', 'secrets', '-n', 'kube-system')).toBe('yes');
    expect(await canI('delete', 'namespaces')).toBe('no');
    expect(await canI('create', 'clusterroles.rbac.authorization.k8s.io')).toBe('no');
    expect(await canI('delete', 'persistentvolumeclaims', '-n', 'tenant-a')).toBe('no');
    expect(await canI('update', 'leases.coordination.k8s.io/kube-controller-manager', '-n', 'kube-system')).toBe('no');
    expect(await canI('create', 'pods', '--subresource=exec', '-n', 'tenant-a')).toBe('no');
  });

  it('covers every API call the controllers make (a scan of controllers/ source)', () => {
    const needed = scanControllers();
    // The scan must keep finding the calls it knows (guards against the patterns rotting).
    expect(needed.size).toBeGreaterThan(40);
    expect([...needed].filter((k) => k.startsWith('stratus.dev ipallocations create'))).toHaveLength(1);
    const missing = [...needed].filter((k) => !tableKeys.has(k));
    expect(missing).toEqual([]);
  });
});

describe('deploy/user-roles.yaml', () => {
  let ns: string;
  const bind = (name: string, role: string, user: string) =>
    client.create(RoleBindingType, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    } as KubeObject);
  const canI = async (user: string, ...args: string[]) => (await kubectl(['auth', 'can-i', `--as=${user}`, '-n', ns, ...args])).stdout.trim();

  beforeAll(async () => {
    ns = await createNamespace(client, 'roles');
    await bind('editor', 'edit', 'jane');
    await bind('viewer', 'view', 'joe');
    await bind('provider', 'stratus-provider-networks', 'pat');
  });
  afterAll(async () => {
    await deleteNamespace(client, ns);
    await kubectl(['delete', '--ignore-not-found', 'clusterrole/stratus-edit', 'clusterrole/stratus-view', 'clusterrole/stratus-provider-networks']);
  });

  it("lets a namespace's editors use Stratus there, as Kubernetes' edit role aggregates it", async () => {
    await eventually(async () => (await canI('jane', 'create', 'apps.stratus.dev')) === 'yes', 15_000, 'edit aggregating stratus-edit');
    expect(await canI('jane', 'delete', 'virtualmachines.stratus.dev')).toBe('yes');
    expect(await canI('jane', 'update', 'apps.stratus.dev', '--subresource=scale')).toBe('yes');
    expect(await canI('jane', 'list', 'ipallocations.stratus.dev')).toBe('yes');
    expect(await canI('joe', 'get', 'scalers.stratus.dev')).toBe('yes');
    expect(await canI('joe', 'create', 'scalers.stratus.dev')).toBe('no');
  });

  it('grants neither the internal kinds nor provider networks, which only stratus-provider-networks gives', async () => {
    await eventually(async () => (await canI('jane', 'create', 'apps.stratus.dev')) === 'yes', 15_000, 'edit aggregating stratus-edit');
    expect(await canI('jane', 'create', 'ipallocations.stratus.dev')).toBe('no');
    expect(await canI('jane', 'create', 'networksegments.stratus.dev')).toBe('no');
    expect(await canI('jane', 'create', 'networks.stratus.dev', '--subresource=provider')).toBe('no');
    expect(await canI('pat', 'create', 'networks.stratus.dev', '--subresource=provider')).toBe('yes');
  });
});

describe('the metrics API paths the Scaler requests', () => {
  // Authorization runs before routing: a path RBAC refuses answers 403 even
  // where no metrics API is served (here: none is, so allowed paths answer 404/503).
  const raw = async (path: string) => {
    const r = await kubectl(['get', '--raw', path, `--as=${user}`, ...groups.map((g) => `--as-group=${g}`)]);
    return r.stderr.includes('(Forbidden)') ? 'forbidden' : 'allowed';
  };
  const podMetrics = '/apis/metrics.k8s.io/v1beta1/namespaces/tenant-a/pods?labelSelector=app%3Dweb';
  const customMetric = '/apis/custom.metrics.k8s.io/v1beta2/namespaces/tenant-a/pods/*/http_requests_per_second?labelSelector=app%3Dweb';
  const component = join(packageRoot(), 'deploy', 'components', 'custom-metrics');

  afterAll(async () => {
    await kubectl(['delete', '--ignore-not-found', '-f', join(component, 'clusterrole.yaml')]);
  });

  it('reads PodMetrics; reads a Pods (custom) metric only with deploy/components/custom-metrics', async () => {
    expect(await raw(podMetrics)).toBe('allowed');
    expect(await raw(customMetric)).toBe('forbidden');
    const applied = await kubectl(['apply', '--server-side', `--field-manager=${fieldManager}`, '-k', component]);
    expect(applied.stderr).toBe('');
    await eventually(async () => (await raw(customMetric)) === 'allowed', 10_000, 'the custom metric allowed');
    expect(await raw(customMetric.replace('http_requests_per_second', 'some_other_metric'))).toBe('forbidden');
  });
});

describe('the rest of deploy/ against the API server', () => {
  it('passes server-side dry run: CRDs, Deployment (under Pod Security "restricted"), Service, PodDisruptionBudget', async () => {
    const rest = (await renderDeploy()).filter((o) => !(o.kind === 'Namespace' || /Role|ServiceAccount/.test(o.kind!)));
    const policies = stratusAdmissionPolicies().length / 2;
    expect(rest.map((o) => o.kind).sort()).toEqual(
      [
        ...stratusCrds().map(() => 'CustomResourceDefinition'),
        'Deployment',
        'PodDisruptionBudget',
        'Service',
        ...Array<string>(policies).fill('ValidatingAdmissionPolicy'),
        ...Array<string>(policies).fill('ValidatingAdmissionPolicyBinding'),
      ].sort(),
    );
    // --force-conflicts: the CRDs belong to field manager "stratus" (global setup); a dry run changes nothing.
    const r = await kubectl(['apply', '--server-side', '--dry-run=server', '--force-conflicts', `--field-manager=${fieldManager}`, '-f', '-'], toYaml(rest));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployment.apps/stratus-controllers serverside-applied (server dry run)');
  });

  it('passes server-side dry run with components/admission-finalizers (MutatingAdmissionPolicies, Kubernetes 1.36)', async () => {
    const component = join(packageRoot(), 'deploy', 'components', 'admission-finalizers');
    const r = await kubectl(['apply', '--server-side', '--dry-run=server', '--force-conflicts', `--field-manager=${fieldManager}`, '-k', component]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('mutatingadmissionpolicy.admissionregistration.k8s.io/stratus.dev-volumes-finalizer serverside-applied (server dry run)');
  });

  it('would be warned about by Pod Security if the pod were not restricted (the check above is live)', async () => {
    const loose = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'loose', namespace: system },
      spec: {
        selector: { matchLabels: { app: 'loose' } },
        template: { metadata: { labels: { app: 'loose' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    };
    const r = await kubectl(['apply', '--server-side', '--dry-run=server', `--field-manager=${fieldManager}`, '-f', '-'], stringify(loose));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('would violate PodSecurity "restricted:latest"');
  });
});

describe('the controllers running as the ServiceAccount', () => {
  let ns: string;
  let operator: RunningOperator | undefined;

  afterAll(async () => {
    await operator?.stop();
    if (ns) await deleteNamespace(client, ns);
  });

  it('sync their caches, lead, and reconcile VMs, Volumes and Networks with no request denied', async () => {
    ns = await createNamespace(client, 'deploy-rbac');
    const token = await kubectl(['create', 'token', account, '-n', system, '--duration=1h']);
    expect(token.stderr).toBe('');
    const admin = testKubeConfig();
    const cluster = admin.getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: account, token: token.stdout.trim() }],
      contexts: [{ name: account, cluster: cluster.name, user: account }],
      currentContext: account,
    });
    // Like the Deployment (leader election in stratus-system, health server),
    // but watching only this test's namespace so other test files' objects are
    // left alone; namespaced list/watch are covered by the same ClusterRole.
    operator = await startOperator({
      kubeConfig: kc,
      namespace: ns,
      healthAddress: '127.0.0.1:0',
      leaderElection: { namespace: system, name: account },
      logger: createLogger({ level: process.env.STRATUS_TEST_LOG ?? 'warn', format: 'text' }),
    });
    const manager = operator.manager;
    const readyz = await eventually(async () => {
      if (!manager.healthPort) return undefined;
      const res = await fetch(`http://127.0.0.1:${manager.healthPort}/readyz`);
      return res.status === 200 ? res.status : undefined;
    }, 30_000, '/readyz (every informer listed and watching)');
    expect(readyz).toBe(200);
    await eventually(async () => manager.isLeader, 30_000, 'leadership');

    // Network (NAD, NetworkPolicy, MultiNetworkPolicy, finalizer), Volume (DataVolume),
    // VM (KubeVirt VM, SSH Secret, Service, IPAllocation), a VM group (pool).
    const objects = [...exampleIn('01-vm-with-volume.yaml', ns), ...exampleIn('04-vm-group.yaml', ns).filter((o) => o.kind === 'VirtualMachine')];
    const applied = await kubectl(['apply', '--server-side', '-f', '-'], toYaml(objects));
    expect(applied.stderr).toBe('');
    const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm/web-1', 'svol/web-1-root', 'snet/backend', 'svm/workers', '--timeout=90s']);
    expect(wait.stderr).toBe('');

    // A Scaler reading a ConfigMap field (Object metric) scales the VM group
    // through virtualmachines/scale: 20 pending at 5 per VM -> 4 VMs.
    const scaler = {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'Scaler',
      metadata: { name: 'workers', namespace: ns },
      spec: {
        scaleTargetRef: { kind: 'VirtualMachine', name: 'workers' },
        minReplicas: 1,
        maxReplicas: 6,
        metrics: [{ type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'jobs' }, metric: { name: 'pending' }, fieldPath: '.data.pending', target: { type: 'AverageValue', averageValue: '5' } } }],
      },
    };
    const jobs = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jobs', namespace: ns }, data: { pending: '20' } };
    expect((await kubectl(['apply', '--server-side', '-f', '-'], toYaml([jobs, scaler] as KubeObject[]))).stderr).toBe('');
    await eventually(async () => (await client.get<VirtualMachine>(VirtualMachines, ns, 'workers')).spec.replicas === 4, 60_000, 'the Scaler scaling the VM group to 4');

    // Restart: deletes the VMI and records an Event.
    const at = '2025-01-01T00:00:00Z';
    await client.patch(VirtualMachines, ns, 'web-1', { merge: { spec: { restartRequestedAt: at } } });
    await eventually(async () => (await client.get<VirtualMachine>(VirtualMachines, ns, 'web-1')).status?.restartedAt === at, 60_000, 'restart done');
    const events = await kubectl(['-n', ns, 'get', 'events.events.k8s.io', '-o', 'jsonpath={.items[*].reason}']);
    expect(events.stdout).toContain('Restarting');
    expect(events.stdout).toContain('SuccessfulRescale');

    // Delete with reclaimPolicy Retain: claim released (PVC patch), DataVolume
    // orphan-deleted, finalizer removed.
    await client.delete(VirtualMachines, ns, 'web-1');
    await client.delete(Volumes, ns, 'web-1-root');
    await eventually(async () => {
      try {
        await client.get<Volume>(Volumes, ns, 'web-1-root');
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    }, 60_000, 'Volume deleted');
    const claim = await client.get(PersistentVolumeClaims, ns, 'web-1-root');
    expect(claim.metadata.ownerReferences ?? []).toEqual([]);

    const requests = (await manager.metrics.requests.get()).values;
    const refused = requests.filter((v) => v.labels.code === '403' || v.labels.code === '401');
    expect(refused).toEqual([]);
    // It did write: creates, patches and deletes all went through.
    for (const verb of ['create', 'patch', 'delete']) expect(requests.some((v) => v.labels.verb === verb && String(v.labels.code).startsWith('2'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// A scan of controllers/ for API calls whose resource type is a named
// constant (pkg/kube/resources.ts, pkg/api/resources.ts, pkg/contracts/*/resources.ts), mapped to the verbs
// they need. Calls through a variable (e.g. `type`) are not resolvable here;
// the table covers them by review.
// ---------------------------------------------------------------------------
function scanControllers(): Set<string> {
  const types = new Map<string, { group: string; resource: string }>();
  const handles = { ...kubeResources, ...apiResources, ...cdiResources, ...csiSnapshotResources, ...gatewayResources, ...kubevirtResources, ...multusResources };
  for (const [name, value] of Object.entries(handles)) {
    if (value && typeof value === 'object' && 'resource' in value && 'group' in value) types.set(name, value as { group: string; resource: string });
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.startsWith('test-')) files.push(path);
    }
  };
  walk(join(packageRoot(), 'controllers'));

  const generic = '(?:<[^()]*?>)?';
  const patterns: [RegExp, string[], string?][] = [
    [new RegExp(`cache\\.informer${generic}\\(\\s*(\\w+)\\s*\\)`, 'g'), ['list', 'watch']],
    [new RegExp(`cache\\.(?:get|list|byIndex|ownedBy)${generic}\\(\\s*(\\w+)\\s*[,)]`, 'g'), ['list', 'watch']],
    [new RegExp(`applyChild${generic}\\([^,]+,[^,]+,\\s*(\\w+)\\s*,`, 'g'), ['create', 'patch']],
    [new RegExp(`client\\.apply${generic}\\(\\s*(\\w+)\\s*,`, 'g'), ['patch']],
    [new RegExp(`client\\.create${generic}\\(\\s*(\\w+)\\s*,`, 'g'), ['create']],
    [new RegExp(`client\\.update${generic}\\(\\s*(\\w+)\\s*,`, 'g'), ['update']],
    [new RegExp(`client\\.(?:delete|deleteIfExists)\\(\\s*(\\w+)\\s*,`, 'g'), ['delete']],
    [new RegExp(`client\\.deleteExact${generic}\\(\\s*(\\w+)\\s*,`, 'g'), ['delete']],
    [new RegExp(`client\\.patch${generic}\\(\\s*(\\w+)\\s*,`, 'g'), ['patch']],
    [new RegExp(`client\\.(?:list|listAll)${generic}\\(\\s*(\\w+)\\s*[,)]`, 'g'), ['list']],
    [new RegExp(`client\\.(?:get|tryGet)${generic}\\(\\s*(\\w+)\\s*,`, 'g'), ['get']],
    [new RegExp(`(?:add|remove)Finalizer\\([^,]+,\\s*(\\w+)\\s*,`, 'g'), ['patch']],
    [new RegExp(`writeStatus${generic}\\([^,]+,\\s*(\\w+)\\s*,`, 'g'), ['patch'], 'status'],
    [new RegExp(`client\\.getScale\\(\\s*(\\w+)\\s*,`, 'g'), ['get'], 'scale'],
    [new RegExp(`client\\.patchScale\\(\\s*(\\w+)\\s*,`, 'g'), ['patch'], 'scale'],
  ];
  const needed = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8').replace(/\s+/g, ' ');
    for (const [re, verbs, subresource] of patterns) {
      for (const m of source.matchAll(re)) {
        const type = types.get(m[1]!);
        if (!type) continue;
        const resource = subresource ? `${type.resource}/${subresource}` : type.resource;
        for (const verb of verbs) needed.add(key(type.group, resource, verb));
      }
    }
  }
  return needed;
}
