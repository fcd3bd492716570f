// Structural validation of an object against its CRD schema, as the
// apiserver does it before CEL rules: defaults, unknown fields, types,
// formats, enums, bounds, and list-map keys. ajv checks the JSON-Schema
// keywords; the Kubernetes extensions are walked here.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { Schema } from '../schema/builder.js';
import { joinPath, pathFromPointer, type FieldError } from './field-error.js';

// ajv-formats is CommonJS: under ESM its default export arrives as module.exports.
const addFormats = (formatsModule as unknown as { default: (ajv: Ajv, formats: string[]) => Ajv }).default;

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: true });
addFormats(ajv, ['date-time', 'date', 'uri', 'email', 'ipv4', 'ipv6', 'uuid', 'hostname', 'byte', 'duration']);
// The CRD formats ajv does not know are accepted as the apiserver accepts them.
for (const format of ['int32', 'int64', 'float', 'double', 'password']) ajv.addFormat(format, true);
ajv.addKeyword({ keyword: 'x-kubernetes-int-or-string' });
for (const keyword of [
  'x-kubernetes-validations',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
  'tsName',
]) {
  ajv.addKeyword({ keyword });
}

const compiled = new WeakMap<Schema, ValidateFunction>();

function compile(schema: Schema): ValidateFunction {
  const known = compiled.get(schema);
  if (known) return known;
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}

function fromAjv(e: ErrorObject, root: unknown): FieldError {
  const path = pathFromPointer(e.instancePath);
  const value = e.instancePath.split('/').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/')], root);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), type: 'Required value', detail: '' };
    case 'enum':
      return {
        path,
        type: 'Unsupported value',
        value,
        detail: `supported values: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'type':
      return { path, type: 'Invalid value', value, detail: `${path} in body must be of type ${String(params.type)}: ${JSON.stringify(typeof value === 'object' ? (Array.isArray(value) ? 'array' : 'object') : value)}` };
    case 'maxLength':
      return { path, type: 'Too long', detail: `may not be more than ${String(params.limit)} bytes` };
    case 'maxItems':
      return { path, type: 'Too many', value: Array.isArray(value) ? value.length : value, detail: `must have at most ${String(params.limit)} items` };
    case 'minimum':
      return { path, type: 'Invalid value', value, detail: `${path} in body should be greater than or equal to ${String(params.limit)}` };
    case 'maximum':
      return { path, type: 'Invalid value', value, detail: `${path} in body should be less than or equal to ${String(params.limit)}` };
    case 'minLength':
      return { path, type: 'Invalid value', value, detail: `${path} in body should be at least ${String(params.limit)} chars long` };
    case 'minItems':
      return { path, type: 'Invalid value', value: Array.isArray(value) ? value.length : value, detail: `${path} in body should have at least ${String(params.limit)} items` };
    case 'pattern':
      return { path, type: 'Invalid value', value, detail: `${path} in body should match '${String(params.pattern)}'` };
    case 'format':
      return { path, type: 'Invalid value', value, detail: `${path} in body must be of type ${String(params.format)}: ${JSON.stringify(value)}` };
    default:
      return { path, type: 'Invalid value', value, detail: e.message ?? e.keyword };
  }
}

/** Walks what ajv cannot see: unknown fields, int-or-string, and duplicate list-map keys. */
function walk(schema: Schema, value: unknown, path: string, errors: FieldError[]): void {
  if (value === undefined || value === null) return;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
      errors.push({ path, type: 'Invalid value', value, detail: `${path} in body must be of type integer-or-string` });
    }
    return;
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => walk(schema.items!, item, joinPath(path, i), errors));
    const keys = schema['x-kubernetes-list-map-keys'];
    if (schema['x-kubernetes-list-type'] === 'map' && keys) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)?.[k]));
        if (seen.has(key)) errors.push({ path: joinPath(path, i), type: 'Duplicate value', value: item, detail: '' });
        seen.add(key);
      });
    }
    if (schema['x-kubernetes-list-type'] === 'set') {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) errors.push({ path: joinPath(path, i), type: 'Duplicate value', value: item, detail: '' });
        seen.add(key);
      });
    }
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  if (schema.additionalProperties) {
    for (const [k, v] of Object.entries(obj)) walk(schema.additionalProperties, v, `${path}[${k}]`, errors);
    return;
  }
  const properties = schema.properties ?? {};
  for (const [k, v] of Object.entries(obj)) {
    // ObjectMeta has its own rules (checked by the caller), not the CRD's.
    if (path === '' && k === 'metadata') continue;
    const child = properties[k];
    if (child) walk(child, v, joinPath(path, k), errors);
    else if (!schema['x-kubernetes-preserve-unknown-fields']) {
      errors.push({ path: joinPath(path, k), type: 'Unknown field', detail: `unknown field "${joinPath(path, k)}"` });
    }
  }
}

/**
 * Fills in defaults (in place) and returns the structural errors. `obj` is
 * the whole object; metadata is left to the caller.
 */
export function validateStructure(schema: Schema, obj: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  walk(schema, obj, '', errors);
  const validate = compile(schema);
  if (!validate(obj)) {
    for (const e of validate.errors ?? []) {
      // A type error on an int-or-string field is ours to report.
      if (e.keyword === 'x-kubernetes-int-or-string') continue;
      errors.push(fromAjv(e, obj));
    }
  }
  return errors;
}
