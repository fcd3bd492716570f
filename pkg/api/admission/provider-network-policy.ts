// A Network that chooses its own segment — a VLAN, a bridge, or macvlan on a
// host interface — joins whatever else is on that segment: a provider
// network, as Neutron calls it. Choosing one is a privilege the requester's
// own RBAC must grant: create on networks/provider (a subresource that is
// only ever authorised, never served). Tenant Networks leave these out and
// get a VLAN of their own from the controller.
import { group } from '../schema/common.js';
import { requester } from './reference-policies.js';
import { validatingPolicy } from './validating-policy.js';
import type { KubeObject } from '../../meta/object.js';

export const providerSubresource = 'provider';

export function providerNetworkPolicy(): KubeObject[] {
  const changed = ['vlan', 'bridge', 'master'].map((f) => `object.spec.?${f} != oldObject.spec.?${f}`).join(' || ');
  return validatingPolicy(`${group}-networks-provider`, {
    description: 'Choosing a Network\'s VLAN, bridge or macvlan host interface (a provider network) needs create on networks/provider.',
    match: { apiGroups: [group], resources: ['networks'] },
    variables: [
      { name: 'provider', expression: "has(object.spec.vlan) || has(object.spec.bridge) || object.spec.type == 'macvlan'" },
      { name: 'changed', expression: `oldObject == null || object.spec.type != oldObject.spec.type || ${changed}` },
    ],
    validations: [
      {
        expression: `!variables.provider || !variables.changed || authorizer.group('${group}').resource('networks').subresource('${providerSubresource}').namespace(object.metadata.namespace).name(object.metadata.name).check('create').allowed()`,
        messageExpression: `(has(object.spec.vlan) ? 'spec.vlan' : has(object.spec.bridge) ? 'spec.bridge' : 'spec.type') + ': ' + ${requester} + ' may not create provider networks (create on networks/${providerSubresource} in ${group}) in namespace ' + object.metadata.namespace + '; without vlan, bridge and macvlan the Network gets a VLAN of its own'`,
        reason: 'Forbidden',
      },
    ],
  });
}
