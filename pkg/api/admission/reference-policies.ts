// Admission checks that close the confused deputy: the controllers may read
// every Secret, Volume or Network, so a reference in a Stratus object must
// not let its author use one they could not read themselves. For each kind
// and each resource its fields name, a policy asks the authorizer whether
// the requester may `get` every object a create or update newly names
// (names the object already held are not asked again, so others can still
// edit it).
//
// CEL allows two authorizer checks per expression and about 28 per policy,
// so each named object is asked in its own validation, after one check of
// permission for the whole namespace; an object naming more than
// `maxNamedChecks` objects of one resource needs that wider permission.
import { group } from '../schema/common.js';
import type { KindDefinition, Reference, ReferenceTarget } from '../schema/kind.js';
import { fieldIn, namesIn, valuesAt } from './reference-path.js';
import { validatingPolicy } from './validating-policy.js';
import type { KubeObject } from '../../meta/object.js';

export const maxNamedChecks = 8;

function targetKey(t: ReferenceTarget, verb: string): string {
  return `${t.group}/${t.resource}/${verb}`;
}

/** `authorizer.group(…).resource(…)[.namespace(ns)]` from CEL expressions, ready for `.name(…)` or `.check(…)`. */
export function authorizerFor(groupExpr: string, resourceExpr: string, namespaced: boolean): string {
  return `authorizer.group(${groupExpr}).resource(${resourceExpr})${namespaced ? '.namespace(object.metadata.namespace)' : ''}`;
}

function authorizerOf(t: ReferenceTarget): string {
  return authorizerFor(`'${t.group}'`, `'${t.resource}'`, t.namespaced);
}

export const requester = 'request.userInfo.username';

function referencePolicy(def: KindDefinition, target: ReferenceTarget, verb: string, refs: Reference[]): KubeObject[] {
  const union = (root: 'object' | 'oldObject'): string => refs.map((r) => namesIn(root, r.path)).join(' + ');
  const where = target.namespaced ? " + ' in namespace ' + object.metadata.namespace" : '';
  const most = refs.reduce((n, r) => n + valuesAt(r.path), 0);
  const checks = Array.from({ length: Math.min(most, maxNamedChecks) }, (_, i) => {
    const name = `variables.added[${i}]`;
    const field = refs.reduceRight((otherwise, r) => `(${name} in ${namesIn('object', r.path)} ? ${fieldIn(r.path, name)} : ${otherwise})`, "'spec'");
    return {
      expression: `size(variables.added) <= ${i} || variables.mayGetAll || ${authorizerOf(target)}.name(${name}).check('${verb}').allowed()`,
      messageExpression: `${field} + ': ' + ${requester} + ' may not ${verb} ${target.resource}${target.group ? `.${target.group}` : ''} "' + ${name} + '"'${where}`,
      reason: 'Forbidden' as const,
    };
  });
  return validatingPolicy(`${group}-${def.plural}-${target.resource}${verb === 'get' ? '' : `-${verb}`}`, {
    description: `${def.kind} fields naming ${target.resource} (${refs.map((r) => r.path).join(', ')}): the requester must be allowed to ${verb} what they name.`,
    match: { apiGroups: [group], resources: [def.plural] },
    variables: [
      { name: 'referenced', expression: `(${union('object')}).distinct()` },
      { name: 'before', expression: union('oldObject') },
      { name: 'added', expression: 'variables.referenced.filter(n, !(n in variables.before))' },
      { name: 'mayGetAll', expression: `${authorizerOf(target)}.check('${verb}').allowed()` },
    ],
    validations: [
      ...checks,
      ...(most > maxNamedChecks
        ? [
            {
              expression: `size(variables.added) <= ${maxNamedChecks} || variables.mayGetAll`,
              messageExpression: `'spec: names ' + string(size(variables.added)) + ' ${target.resource}; beyond ${maxNamedChecks}, ' + ${requester} + ' needs permission to ${verb} every one of them'${where}`,
              reason: 'Forbidden' as const,
            },
          ]
        : []),
    ],
  });
}

/** One policy (and binding) per kind, referenced resource and verb. */
export function referencePolicies(def: KindDefinition): KubeObject[] {
  const byTarget = new Map<string, { target: ReferenceTarget; verb: string; refs: Reference[] }>();
  for (const ref of def.references ?? []) {
    const verb = ref.verb ?? 'get';
    const entry = byTarget.get(targetKey(ref.target, verb)) ?? { target: ref.target, verb, refs: [] };
    entry.refs.push(ref);
    byTarget.set(targetKey(ref.target, verb), entry);
  }
  return [...byTarget.values()].flatMap(({ target, verb, refs }) => referencePolicy(def, target, verb, refs));
}
