// A small vocabulary for writing structural OpenAPI v3 schemas (with the
// Kubernetes extensions) in TypeScript. The schemas in this folder are the one
// source of truth: `npm run generate` turns them into crds/*.yaml and into the
// TypeScript types in pkg/api/types.generated.ts.
//
// `tsName` names the TypeScript interface generated for an object schema; it
// never reaches the CRD.

export interface Rule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  optionalOldSelf?: boolean;
}

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  enum?: (string | number)[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  'x-kubernetes-validations'?: Rule[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  tsName?: string;
}

type Common = Pick<Schema, 'description' | 'default' | 'nullable'> & { rules?: Rule[] };

function withRules(schema: Schema, rules: Rule[] | undefined): Schema {
  if (rules?.length) schema['x-kubernetes-validations'] = rules;
  return schema;
}

export function object(
  properties: Record<string, Schema>,
  o: Common & { required?: string[]; name?: string; minProperties?: number; maxProperties?: number } = {},
): Schema {
  const { rules, required, name, ...rest } = o;
  const schema: Schema = { type: 'object', ...rest, properties };
  if (required?.length) schema.required = required;
  if (name) schema.tsName = name;
  return withRules(schema, rules);
}

export function string(o: Common & Pick<Schema, 'enum' | 'pattern' | 'format' | 'minLength' | 'maxLength'> = {}): Schema {
  const { rules, ...rest } = o;
  return withRules({ type: 'string', ...rest }, rules);
}

export function enumOf(values: string[], o: Common = {}): Schema {
  return string({ ...o, enum: values });
}

export function integer(o: Common & Pick<Schema, 'minimum' | 'maximum' | 'format'> = {}): Schema {
  const { rules, ...rest } = o;
  return withRules({ type: 'integer', format: 'int32', ...rest }, rules);
}

export function boolean(o: Common = {}): Schema {
  const { rules, ...rest } = o;
  return withRules({ type: 'boolean', ...rest }, rules);
}

export function array(items: Schema, o: Common & Pick<Schema, 'minItems' | 'maxItems'> & { listType?: 'atomic' | 'set'; mapKeys?: string[] } = {}): Schema {
  const { rules, listType, mapKeys, ...rest } = o;
  const schema: Schema = { type: 'array', ...rest, items };
  if (mapKeys) {
    schema['x-kubernetes-list-type'] = 'map';
    schema['x-kubernetes-list-map-keys'] = mapKeys;
  } else if (listType) schema['x-kubernetes-list-type'] = listType;
  return withRules(schema, rules);
}

/** A map from string keys to values (additionalProperties). */
export function map(values: Schema, o: Common & Pick<Schema, 'maxProperties'> = {}): Schema {
  const { rules, ...rest } = o;
  return withRules({ type: 'object', ...rest, additionalProperties: values }, rules);
}

/** A Kubernetes resource quantity ("500m", "10Gi"); numbers are accepted too, as in core types. */
export function quantity(o: Common & { maxLength?: number } = {}): Schema {
  const { rules, maxLength, ...rest } = o;
  return withRules(
    {
      'x-kubernetes-int-or-string': true,
      ...rest,
      pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
      ...(maxLength ? { maxLength } : {}),
    },
    rules,
  );
}

/** An object kept as the user wrote it (no pruning, no validation inside). */
export function freeform(o: Common = {}): Schema {
  const { rules, ...rest } = o;
  return withRules({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...rest }, rules);
}

/** Object names as Kubernetes allows them (DNS-1123 subdomain), for references to other objects. */
export function objectName(description: string): Schema {
  return string({ description, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' });
}

/** A DNS-1123 label: names of list entries that become Kubernetes names (ports, interfaces, disks). */
export function label(description: string): Schema {
  return string({ description, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
}

export function rule(rule: string, message: string, o: Omit<Rule, 'rule' | 'message'> = {}): Rule {
  return { rule, message, ...o };
}

/** A rule that the field may not change once set. */
export function immutable(field: string): Rule {
  return { rule: 'self == oldSelf', message: `${field} is immutable` };
}
