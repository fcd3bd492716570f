// ValidatingAdmissionPolicy objects (admissionregistration.k8s.io/v1), each
// with its binding: the shape Stratus's own admission checks are written in.
import type { KubeObject } from '../../meta/object.js';

export interface PolicyVariable {
  name: string;
  expression: string;
}

export interface PolicyValidation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason: 'Forbidden' | 'Invalid';
}

export interface ResourceRule {
  apiGroups: string[];
  resources: string[];
}

export interface PolicySpec {
  /** What a comment in the YAML would say: why the policy exists. */
  description: string;
  match: ResourceRule;
  matchConditions?: { name: string; expression: string }[];
  variables?: PolicyVariable[];
  validations: PolicyValidation[];
  /** Parameters from a ConfigMap; absent ConfigMap: the policy does not apply. */
  params?: { namespace: string; name: string };
}

const labels = { 'app.kubernetes.io/part-of': 'stratus' };

/** The metadata of an admission policy (with its description) or of its binding (without). */
export function policyMetadata(name: string, description?: string): KubeObject['metadata'] {
  return description ? { name, labels, annotations: { 'stratus.dev/description': description } } : { name, labels };
}

/** The policy and its binding (same name), denying what fails. */
export function validatingPolicy(name: string, spec: PolicySpec): KubeObject[] {
  const policy: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: policyMetadata(name, spec.description),
    spec: {
      failurePolicy: 'Fail',
      ...(spec.params ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
      matchConstraints: {
        resourceRules: [{ apiGroups: spec.match.apiGroups, apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: spec.match.resources }],
      },
      ...(spec.matchConditions ? { matchConditions: spec.matchConditions } : {}),
      ...(spec.variables?.length ? { variables: spec.variables } : {}),
      validations: spec.validations,
    },
  };
  const binding: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: policyMetadata(name),
    spec: {
      policyName: name,
      validationActions: ['Deny'],
      ...(spec.params ? { paramRef: { ...spec.params, parameterNotFoundAction: 'Allow' } } : {}),
    },
  };
  return [policy, binding];
}
