// Schema pieces every kind shares: conditions, status basics, selectors and
// references.
import { array, enumOf, integer, label, map, object, objectName, string, type Schema } from './builder.js';

export const group = 'stratus.dev';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;

/** metav1.Condition, exactly as Kubernetes validates it. */
export const condition: Schema = object(
  {
    type: string({
      description: 'Type of condition in CamelCase: Ready summarises; Reconciling and Stalled are present only while true.',
      maxLength: 316,
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: enumOf(['True', 'False', 'Unknown'], { description: 'Status of the condition.' }),
    observedGeneration: integer({ description: 'The metadata.generation the condition was set for.', minimum: 0, format: 'int64' }),
    lastTransitionTime: string({ description: 'When the condition last changed status.', format: 'date-time' }),
    reason: string({
      description: 'A CamelCase, machine-readable reason for the last transition.',
      maxLength: 1024,
      minLength: 1,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    }),
    message: string({ description: 'A human-readable explanation.', maxLength: 32768 }),
  },
  { name: 'Condition', required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

export function conditions(): Schema {
  return array(condition, {
    description: 'The latest observations of the object, keyed by type.',
    mapKeys: ['type'],
    maxItems: 16,
  });
}

export function observedGeneration(): Schema {
  return integer({ description: 'The metadata.generation this status describes.', format: 'int64', minimum: 0 });
}

export const labelSelector: Schema = object(
  {
    matchLabels: map(string({ maxLength: 63 }), { description: 'Labels that must all match.' }),
    matchExpressions: array(
      object(
        {
          key: string({ description: 'The label key.', maxLength: 317 }),
          operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist'], { description: 'How the key relates to the values.' }),
          values: array(string({ maxLength: 63 }), { description: 'Values for In and NotIn; empty for Exists and DoesNotExist.', maxItems: 64 }),
        },
        { required: ['key', 'operator'] },
      ),
      { description: 'Requirements that must all match.', maxItems: 16 },
    ),
  },
  { name: 'LabelSelector', description: 'A label query, as in Kubernetes (matchLabels and matchExpressions, ANDed).' },
);

export const secretKeyRef: Schema = object(
  {
    name: objectName('The Secret, in the same namespace.'),
    key: string({ description: 'The key within the Secret.', maxLength: 253 }),
  },
  { name: 'SecretKeyReference', required: ['name', 'key'] },
);

export const localObjectReference: Schema = object({ name: objectName('The object, in the same namespace.') }, { name: 'LocalObjectReference', required: ['name'] });

export const protocol = (): Schema => enumOf(['TCP', 'UDP', 'SCTP'], { description: 'The IP protocol.', default: 'TCP' });

export const portNumber = (description: string): Schema => integer({ description, minimum: 1, maximum: 65535 });

export { label, objectName };

/** Status of the address pools of an App or a VM group, one per secondary Network. */
export const networkPools = (): Schema =>
  array(
    object(
      {
        name: string({ description: 'The Network.' }),
        attachmentDefinition: string({ description: 'The NetworkAttachmentDefinition the instances attach through; its IPAM leases the pool only.' }),
        allocated: integer({ description: 'Addresses allocated to the pool.' }),
        addresses: array(string(), { description: 'The allocated addresses, lowest first; at most 100 are listed.' }),
      },
      { name: 'NetworkPoolStatus', required: ['name', 'allocated'] },
    ),
    { description: "Each secondary Network's address pool: one address per instance and interface, plus a quarter for rollouts and replacements." },
  );
