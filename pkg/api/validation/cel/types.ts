// Public shapes of the CEL validation package: rules as written in a CRD's
// x-kubernetes-validations, and errors shaped like the apiserver's field errors.

export type CelReason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/** One entry of x-kubernetes-validations. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: CelReason;
  optionalOldSelf?: boolean;
}

/** A failed (or broken) rule, located like the apiserver's field.Error. */
export interface CelError {
  /** Field path as the apiserver prints it ("spec.disks[0].size", "spec.labels[key]"); "" is the object root. */
  path: string;
  /** The rule text as written. */
  rule: string;
  /** The error detail the apiserver reports (message, messageExpression result, default text or evaluation error text). */
  message: string;
  reason: CelReason;
  /** The schema type of the node (the apiserver's "Invalid value" for CEL errors, e.g. "object"). */
  schemaType: string;
  /** Raw compile or evaluation error text, when the rule did not evaluate to a boolean. */
  detail?: string;
  /** Set when the rule uses CEL syntax this evaluator lacks (the apiserver may well accept the object). */
  unsupported?: true;
}

/** Outcome of one rule on one value. */
export type RuleResult =
  | { ok: true; skipped?: boolean }
  | { ok: false; message: string }
  | { ok: false; error: string; unsupported?: true };

/**
 * A structural OpenAPI v3 schema node as found in a CRD's openAPIV3Schema.
 * Only the parts CEL validation looks at are typed; anything else is allowed.
 */
export interface CelSchema {
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, CelSchema>;
  items?: CelSchema;
  additionalProperties?: CelSchema | boolean;
  allOf?: CelSchema[];
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [key: string]: unknown;
}
