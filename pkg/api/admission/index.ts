// Stratus's own admission policies (ValidatingAdmissionPolicy), generated
// into crds/admission/ and installed with the CRDs.
import { kinds } from '../schema/index.js';
import type { KubeObject } from '../../meta/object.js';
import { providerNetworkPolicy } from './provider-network-policy.js';
import { referencePolicies } from './reference-policies.js';
import { scopePolicies } from './scope-policies.js';
import { settingsPolicies } from './settings-policies.js';
import { typedReferencePolicy } from './typed-reference-policy.js';

/** The policies and bindings, by the file they are written to (crds/admission/<file>.yaml). */
export function admissionPolicies(): Map<string, KubeObject[]> {
  const files = new Map<string, KubeObject[]>();
  for (const def of kinds) {
    const objects = [...referencePolicies(def), ...scopePolicies(def), ...typedReferencePolicy(def), ...(def.kind === 'Network' ? providerNetworkPolicy() : [])];
    if (objects.length) files.set(def.plural, objects);
  }
  files.set('settings', settingsPolicies());
  return files;
}
