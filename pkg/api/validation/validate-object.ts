// Validates one object without a cluster, as the apiserver would on create
// (or on update, given the old object): metadata, the CRD's structural
// schema with defaults, then every CEL rule.
import { objectSchema } from '../crd.js';
import { apiVersion as stratusApiVersion, group, kinds, type KindDefinition } from '../schema/index.js';
import type { KubeObject } from '../../meta/object.js';
import { validateCelRules, type CelSchema } from './cel/index.js';
import { type FieldError } from './field-error.js';
import { validateStructure } from './structural.js';

export interface ObjectValidation {
  errors: FieldError[];
  /** What the apiserver would warn about (ratcheted rule failures on updates). */
  warnings: string[];
  /** The object with schema defaults filled in. */
  defaulted: KubeObject;
  /** Whether Stratus knows the kind (others get metadata checks only). */
  known: boolean;
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function metadataErrors(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (!obj.apiVersion) errors.push({ path: 'apiVersion', type: 'Required value', detail: '' });
  if (!obj.kind) errors.push({ path: 'kind', type: 'Required value', detail: '' });
  const meta = obj.metadata ?? {};
  if (!meta.name && !meta.generateName) errors.push({ path: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' });
  if (meta.name && (meta.name.length > 253 || !dnsSubdomain.test(meta.name))) {
    errors.push({
      path: 'metadata.name',
      type: 'Invalid value',
      value: meta.name,
      detail: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    });
  }
  if (meta.namespace && (meta.namespace.length > 63 || !dnsLabel.test(meta.namespace))) {
    errors.push({ path: 'metadata.namespace', type: 'Invalid value', value: meta.namespace, detail: 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'' });
  }
  return errors;
}

export function kindDefinition(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): KindDefinition | undefined {
  if (obj.apiVersion !== stratusApiVersion) return undefined;
  return kinds.find((k) => k.kind === obj.kind);
}

/** Kinds this validator has schemas for: Stratus's. */
export function isStratusGroup(obj: Pick<KubeObject, 'apiVersion'>): boolean {
  return (obj.apiVersion ?? '').split('/')[0] === group;
}

/** The error types after which the apiserver skips the CEL rules (its hasBlockingErr). */
function isBlocking(e: FieldError): boolean {
  if (e.type === 'Unsupported value' || e.type === 'Required value' || e.type === 'Too long' || e.type === 'Too many') return true;
  return e.type === 'Invalid value' && e.detail.includes('must be of type');
}

/** The scale subresource's own check of spec replicas, reported under its JSON path as the apiserver does. */
function scaleErrors(def: KindDefinition, obj: KubeObject): FieldError[] {
  if (!def.scale) return [];
  const path = def.scale.specReplicasPath;
  const value = path.split('.').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], obj);
  if (value === undefined || (Number.isInteger(value) && (value as number) >= 0)) return [];
  return [{ path, type: 'Invalid value', value, detail: 'should be a non-negative integer' }];
}

export function validateObject(obj: KubeObject, old?: KubeObject): ObjectValidation {
  const defaulted = structuredClone(obj);
  const errors = metadataErrors(defaulted);
  const warnings: string[] = [];
  const def = kindDefinition(defaulted);
  if (!def) {
    if (isStratusGroup(defaulted)) {
      errors.push({ path: 'kind', type: 'Invalid value', value: defaulted.kind, detail: `no kind "${defaulted.kind}" is registered for version "${defaulted.apiVersion}"` });
    }
    return { errors, warnings, defaulted, known: false };
  }
  const schema = objectSchema(def);
  const structural = validateStructure(schema, defaulted as unknown as Record<string, unknown>);
  // As the apiserver (strict field validation): unknown fields fail the decoding, before any validation.
  const unknown = structural.filter((e) => e.type === 'Unknown field');
  if (unknown.length) return { errors: unknown, warnings, defaulted, known: true };
  errors.push(...structural, ...scaleErrors(def, defaulted));
  // As the apiserver: some kinds of error block the CEL rules.
  if (structural.some(isBlocking)) {
    errors.push({ path: '<nil>', type: 'Invalid value', value: null, detail: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' });
  } else {
    let oldDefaulted: Record<string, unknown> | undefined;
    if (old) {
      oldDefaulted = structuredClone(old) as unknown as Record<string, unknown>;
      validateStructure(schema, oldDefaulted);
    }
    for (const e of validateCelRules(schema as CelSchema, defaulted as unknown as Record<string, unknown>, oldDefaulted, { onWarning: (w) => warnings.push(w) })) {
      const type = e.reason === 'FieldValueForbidden' ? 'Forbidden' : e.reason === 'FieldValueRequired' ? 'Required value' : e.reason === 'FieldValueDuplicate' ? 'Duplicate value' : 'Invalid value';
      // A rule on the object itself has no field; the apiserver calls it <nil>.
      errors.push({ path: e.path || '<nil>', type, value: type === 'Invalid value' ? e.schemaType : undefined, detail: e.message });
    }
  }
  return { errors, warnings, defaulted, known: true };
}
