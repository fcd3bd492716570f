// The same check as reference-policies.ts for fields that name an object of
// any kind by apiVersion, kind and name (a Scaler's metric objects and scale
// target). The resource is guessed from the kind as the apiserver's
// UnsafeGuessKindToResource does (lowercase, then -s/-es/-ies); the
// controller reads only kinds whose real resource is that guess (see
// controllers/scaler/metric-objects.ts), so the check is about what is read.
// A scale target also needs permission to change it: update on the object
// or on its scale subresource.
import { group } from '../schema/common.js';
import type { KindDefinition, TypedReference } from '../schema/kind.js';
import { authorizerFor, requester } from './reference-policies.js';
import { fieldIn, namesIn, valuesAt, type ValueKey } from './reference-path.js';
import { validatingPolicy, type PolicyValidation } from './validating-policy.js';
import type { KubeObject } from '../../meta/object.js';

export const maxTypedChecks = 20;
const maxScaleChecks = 2;

function plural(kind: string): string {
  const k = `${kind}.lowerAscii()`;
  return `(${k}.endsWith('s') ? ${k} + 'es' : ${k}.endsWith('y') ? ${k}.substring(0, size(${kind}) - 1) + 'ies' : ${k} + 's')`;
}

/** group/resource/name of a reference. */
function keyOf(ref: TypedReference): ValueKey {
  return (r) => {
    const apiVersion = `${r}.?apiVersion.orValue('${ref.defaultApiVersion}')`;
    return `(${apiVersion}.contains('/') ? ${apiVersion}.split('/')[0] : '') + '/' + ${plural(`${r}.kind`)} + '/' + ${r}.name`;
  };
}

function part(key: string, i: 0 | 1 | 2): string {
  return `${key}.split('/')[${i}]`;
}

function checks(refs: TypedReference[], list: string, cap: number, verb: 'get' | 'update'): PolicyValidation[] {
  const most = refs.reduce((n, r) => n + valuesAt(r.path), 0);
  return Array.from({ length: Math.min(most, cap) }, (_, i) => {
    const key = `variables.${list}[${i}]`;
    const authorizer = `${authorizerFor(part(key, 0), part(key, 1), true)}.name(${part(key, 2)})`;
    const allowed =
      verb === 'get' ? `${authorizer}.check('get').allowed()` : `${authorizer}.check('update').allowed() || ${authorizer}.subresource('scale').check('update').allowed()`;
    const field = refs.reduceRight((otherwise, r) => `(${key} in ${namesIn('object', r.path, keyOf(r))} ? ${fieldIn(r.path, key, keyOf(r))} : ${otherwise})`, "'spec'");
    const what = `${part(key, 1)} + (${part(key, 0)} == '' ? '' : '.' + ${part(key, 0)}) + ' "' + ${part(key, 2)} + '"'`;
    return {
      expression: `size(variables.${list}) <= ${i} || ${allowed}`,
      messageExpression: `${field} + ': ' + ${requester} + ' may not ${verb === 'get' ? 'get' : 'update (nor scale)'} ' + ${what} + ' in namespace ' + object.metadata.namespace`,
      reason: 'Forbidden',
    };
  });
}

function added(refs: TypedReference[]): string {
  const union = (root: 'object' | 'oldObject'): string => refs.map((r) => namesIn(root, r.path, keyOf(r))).join(' + ');
  return `(${union('object')}).distinct().filter(k, !(k in (${union('oldObject')})))`;
}

export function typedReferencePolicy(def: KindDefinition): KubeObject[] {
  const refs = def.typedReferences ?? [];
  if (!refs.length) return [];
  const scaled = refs.filter((r) => r.scales);
  return validatingPolicy(`${group}-${def.plural}-objects`, {
    description: `${def.kind} fields naming objects of any kind (${refs.map((r) => r.path).join(', ')}): the requester must be allowed to get them${scaled.length ? ', and to update (or scale) a scale target' : ''}.`,
    match: { apiGroups: [group], resources: [def.plural] },
    variables: [
      { name: 'added', expression: added(refs) },
      ...(scaled.length ? [{ name: 'addedTargets', expression: added(scaled) }] : []),
    ],
    validations: [
      ...checks(refs, 'added', maxTypedChecks, 'get'),
      ...(scaled.length ? checks(scaled, 'addedTargets', maxScaleChecks, 'update') : []),
      {
        expression: `size(variables.added) <= ${maxTypedChecks}`,
        message: `spec: names more than ${maxTypedChecks} objects of other kinds, more than admission can check`,
        reason: 'Forbidden',
      },
    ],
  });
}
