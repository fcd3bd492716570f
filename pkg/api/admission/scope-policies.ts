// Admission checks for fields that have the controllers act on objects the
// field does not name one by one (schema/kind.ts ScopeReference): a label
// selector makes Stratus snapshot every object it matches, so its author
// must be allowed to list them; a restore into a new VM makes Stratus create
// a VM and Volumes, so its author must be allowed to create them. Asked of
// the requester when such a field is newly set or changed, namespace-wide.
import { group } from '../schema/common.js';
import type { KindDefinition, ScopeReference } from '../schema/kind.js';
import { fieldIn, namesIn } from './reference-path.js';
import { authorizerFor, requester } from './reference-policies.js';
import { validatingPolicy } from './validating-policy.js';
import type { KubeObject } from '../../meta/object.js';

const why: Record<ScopeReference['verb'], string> = {
  list: 'a selector acts on every one it matches',
  create: 'Stratus creates them for this object',
};

function scopePolicy(def: KindDefinition, ref: ScopeReference): KubeObject[] {
  const t = ref.target;
  const resource = `${t.resource}${t.group ? `.${t.group}` : ''}`;
  const field = fieldIn(ref.path, 'variables.added[0]');
  return validatingPolicy(`${group}-${def.plural}-${t.resource}-${ref.verb}`, {
    description: `${def.kind} field ${ref.path}: the requester must be allowed to ${ref.verb} ${t.resource} in the namespace (${why[ref.verb]}).`,
    match: { apiGroups: [group], resources: [def.plural] },
    variables: [
      { name: 'added', expression: `${namesIn('object', ref.path)}.filter(v, !(v in ${namesIn('oldObject', ref.path)}))` },
    ],
    validations: [
      {
        expression: `size(variables.added) == 0 || ${authorizerFor(`'${t.group}'`, `'${t.resource}'`, t.namespaced)}.check('${ref.verb}').allowed()`,
        messageExpression: `${field} + ': ' + ${requester} + ' may not ${ref.verb} ${resource} in namespace ' + object.metadata.namespace + ' (${why[ref.verb]})'`,
        reason: 'Forbidden',
      },
    ],
  });
}

export function scopePolicies(def: KindDefinition): KubeObject[] {
  return (def.scopeReferences ?? []).flatMap((ref) => scopePolicy(def, ref));
}
