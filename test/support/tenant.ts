// A tenant for integration tests: a ServiceAccount with exactly the Role (and
// ClusterRole) it is given, and a client that acts as it (a token from the
// TokenRequest API), so admission sees the tenant's own rights, not the
// test's admin.
import { KubeConfig } from '@kubernetes/client-node';
import { ServiceAccounts } from '../../pkg/kube/resources.js';
import { Client } from '../../pkg/runtime/client/client.js';
import { resourcePath, type ResourceType } from '../../pkg/meta/resource.js';
import { RestClient } from '../../pkg/runtime/client/rest-client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { testKubeConfig } from './kube.js';

const rbac = (resource: string, kind: string, namespaced: boolean): ResourceType => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resource, kind, namespaced });
const Roles = rbac('roles', 'Role', true);
const RoleBindings = rbac('rolebindings', 'RoleBinding', true);
const ClusterRoles = rbac('clusterroles', 'ClusterRole', false);
const ClusterRoleBindings = rbac('clusterrolebindings', 'ClusterRoleBinding', false);

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface Tenant {
  client: Client;
  /** The username admission sees: system:serviceaccount:<namespace>:<name>. */
  username: string;
  /** Removes what is not in the namespace (the ClusterRole and its binding) and closes the client. */
  cleanup(): Promise<void>;
}

type RbacObject = KubeObject & { rules?: PolicyRule[]; roleRef?: unknown; subjects?: unknown[] };

export async function createTenant(admin: Client, namespace: string, name: string, rules: PolicyRule[], clusterRules: PolicyRule[] = []): Promise<Tenant> {
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  const roleRef = (kind: string, role: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name: role });
  await admin.create(ServiceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  await admin.create(Roles, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules } as RbacObject);
  await admin.create(RoleBindings, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace }, roleRef: roleRef('Role', name), subjects } as RbacObject);
  const clusterName = `${namespace}-${name}`;
  if (clusterRules.length) {
    await admin.create(ClusterRoles, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterName }, rules: clusterRules } as RbacObject);
    await admin.create(ClusterRoleBindings, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName },
      roleRef: roleRef('ClusterRole', clusterName),
      subjects,
    } as RbacObject);
  }
  const request = await admin.rest.request<{ status: { token: string } }>('POST', resourcePath(ServiceAccounts, namespace, name, 'token'), {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const cluster = testKubeConfig().getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name, token: request.status.token }],
    contexts: [{ name, cluster: cluster.name, user: name }],
    currentContext: name,
  });
  const client = new Client(new RestClient(kc), name);
  return {
    client,
    username: `system:serviceaccount:${namespace}:${name}`,
    async cleanup() {
      client.rest.close();
      if (!clusterRules.length) return;
      await admin.deleteIfExists(ClusterRoleBindings, undefined, clusterName);
      await admin.deleteIfExists(ClusterRoles, undefined, clusterName);
    },
  };
}
