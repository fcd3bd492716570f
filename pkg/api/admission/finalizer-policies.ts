// MutatingAdmissionPolicies (admissionregistration.k8s.io/v1, Kubernetes
// 1.36) that put each kind's finalizer on at creation, so its controller
// does not have to write it. Optional: on older clusters the API is not
// served, and the controllers add the finalizer themselves.
import { finalizerOfKind } from '../finalizers.js';
import { group } from '../schema/common.js';
import { kinds } from '../schema/index.js';
import type { KubeObject } from '../../meta/object.js';
import { policyMetadata } from './validating-policy.js';

export function finalizerPolicies(): KubeObject[] {
  return kinds.flatMap((def) => {
    const finalizer = finalizerOfKind[def.kind];
    return finalizer ? finalizerPolicy(group, def.plural, def.kind, finalizer) : [];
  });
}

/** The policy and its binding that put `finalizer` on every new object of one resource. */
export function finalizerPolicy(apiGroup: string, plural: string, kind: string, finalizer: string): KubeObject[] {
  const name = `${apiGroup}-${plural}-finalizer`;
  const policy: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: policyMetadata(name, `A new ${kind} carries ${finalizer} from the start.`),
    spec: {
      // A policy that cannot run must not refuse the object: the controller adds the finalizer then.
      failurePolicy: 'Ignore',
      reinvocationPolicy: 'Never',
      matchConstraints: { resourceRules: [{ apiGroups: [apiGroup], apiVersions: ['*'], operations: ['CREATE'], resources: [plural] }] },
      // An apply configuration merges: finalizers already there stay (metadata.finalizers is a set).
      mutations: [{ patchType: 'ApplyConfiguration', applyConfiguration: { expression: `Object{metadata: Object.metadata{finalizers: ["${finalizer}"]}}` } }],
    },
  };
  const binding: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: policyMetadata(name),
    spec: { policyName: name },
  };
  return [policy, binding];
}
