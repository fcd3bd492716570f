// Walks an object along its structural schema and evaluates every
// x-kubernetes-validations rule at every node, like the apiextensions-apiserver
// CEL validator: rules see `self` at their node, transition rules see the
// correlated old value (map keys for objects/maps, map-list keys for lists),
// allOf rules apply to the same node, errors carry apiserver field paths.

import type { CelError, CelReason, CelRule, CelSchema } from './types.js';
import { compile, execute } from './environment.js';
import { asCelValue, toCelValue } from './schema-values.js';
import { optionalNone, optionalOf } from './optional-type.js';
import { evaluationErrorText, failureMessage, unsupported } from './evaluate-rule.js';
import { appendFieldPath, formatPath, normalizeFieldPath, type PathElement } from './field-path.js';
import { correlatableOldItems, CorrelatedObject, ratchetIndex, ratchetKey, shouldRatchet, type Ratchet } from './correlation.js';
import type { CelInput } from '@bufbuild/cel';

export interface ValidateOptions {
  /**
   * Validation ratcheting (on in the apiserver since 1.30, GA 1.33): on update,
   * failures of non-transition rules on values unchanged from the old object
   * become warnings. Default true.
   */
  ratcheting?: boolean;
  /** Receives ratcheted failures, formatted as the apiserver's warnings. */
  onWarning?: (warning: string) => void;
}

interface Walk {
  errors: CelError[];
  opts: ValidateOptions;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The apiserver's field.Error text for a CelError ("spec.x: Invalid value: \"integer\": ..."). */
export function formatCelError(e: CelError): string {
  const field = e.path === '' ? '<nil>' : e.path;
  switch (e.reason) {
    case 'FieldValueForbidden':
      return `${field}: Forbidden: ${e.message}`;
    case 'FieldValueRequired':
      return `${field}: Required value: ${e.message}`;
    case 'FieldValueDuplicate':
      return `${field}: Duplicate value: ${JSON.stringify(e.schemaType)}`;
    default:
      return `${field}: Invalid value: ${JSON.stringify(e.schemaType)}: ${e.message}`;
  }
}

function evaluateRules(w: Walk, vs: CelSchema, ns: CelSchema, isRoot: boolean, path: PathElement[], obj: unknown, oldObj: unknown, ratchet: Ratchet): void {
  const rules = vs['x-kubernetes-validations'] ?? [];
  if (rules.length === 0) return;
  const schemaType = ns.type ?? '';
  const at = formatPath(path);
  const hasOld = oldObj !== undefined && oldObj !== null;
  let self: CelInput | undefined;
  let oldSelf: CelInput | undefined;
  const report = (rule: CelRule, message: string, reason: CelReason = 'FieldValueInvalid', where = at, detail?: string): void => {
    w.errors.push({ path: where, rule: rule.rule, message, reason, schemaType, ...(detail !== undefined ? { detail, ...unsupported(detail) } : {}) });
  };

  for (const rule of rules) {
    if (!rule.rule || rule.rule.trim() === '') continue;
    const c = compile(rule.rule);
    if ('error' in c) {
      report(rule, `rule compile error: ${c.error}`, 'FieldValueInvalid', at, c.error);
      continue;
    }
    if (c.usesOldSelf && !hasOld && !rule.optionalOldSelf) continue; // transition rules need a correlated old value

    self ??= toCelValue(obj, ns, isRoot);
    if (hasOld) oldSelf ??= toCelValue(oldObj, ns, isRoot);
    const plain: Record<string, CelInput> = hasOld ? { self, oldSelf: oldSelf! } : { self };
    const bindings = rule.optionalOldSelf ? { self, oldSelf: hasOld ? optionalOf(asCelValue(oldSelf!)) : optionalNone() } : plain;

    const r = execute(c.program, bindings);
    if ('error' in r) {
      // Evaluation errors are never ratcheted.
      report(rule, evaluationErrorText(rule, r.error), 'FieldValueInvalid', at, r.error);
      continue;
    }
    if (r.value === true) continue;
    if (typeof r.value !== 'boolean') {
      report(rule, 'rule compile error: cel expression must evaluate to a bool', 'FieldValueInvalid', at);
      continue;
    }
    const normalized = rule.fieldPath ? normalizeFieldPath(rule.fieldPath, ns) : undefined;
    const where = normalized ? appendFieldPath(at, normalized) : at;
    const err: CelError = { path: where, rule: rule.rule, message: failureMessage(rule, plain), reason: rule.reason ?? 'FieldValueInvalid', schemaType };
    if (!c.usesOldSelf && w.opts.ratcheting !== false && shouldRatchet(ratchet)) {
      w.opts.onWarning?.(formatCelError(err));
    } else {
      w.errors.push(err);
    }
  }
}

function walk(w: Walk, vs: CelSchema, ns: CelSchema, isRoot: boolean, path: PathElement[], obj: unknown, oldObj: unknown, ratchet: Ratchet): void {
  if (obj === undefined || obj === null) return; // only non-null values are validated
  evaluateRules(w, vs, ns, isRoot, path, obj, oldObj, ratchet);

  // allOf rules apply to this node too; allOf errors are not ratcheted on their own correlation.
  for (const sub of vs.allOf ?? []) walk(w, sub, ns, isRoot, path, obj, oldObj, { nearestParent: ratchet.nearestParent });

  if (Array.isArray(obj)) {
    if (!vs.items || !ns.items) return;
    const olds = correlatableOldItems(ns, oldObj);
    obj.forEach((item, i) => {
      walk(w, vs.items!, ns.items!, ns.items!['x-kubernetes-embedded-resource'] === true, [...path, { index: i }], item, olds?.get(item), ratchetIndex(ratchet, i));
    });
    return;
  }
  if (!isObject(obj)) return;
  const mapType = ns['x-kubernetes-map-type'];
  const correlatable = mapType === undefined || mapType === 'granular' || mapType === 'atomic';
  const oldMap = correlatable && isObject(oldObj) ? oldObj : undefined;
  const vap = vs.additionalProperties;
  const nap = ns.additionalProperties;
  if (typeof vap === 'object' && typeof nap === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      walk(w, vap, nap, nap['x-kubernetes-embedded-resource'] === true, [...path, { key: k }], v, oldMap?.[k], ratchetKey(ratchet, k));
    }
  }
  if (vs.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const vp = vs.properties[k];
      const np = ns.properties?.[k];
      if (!vp || !np) continue;
      walk(w, vp, np, np['x-kubernetes-embedded-resource'] === true, [...path, { child: k }], v, oldMap?.[k], ratchetKey(ratchet, k));
    }
  }
}

/**
 * Evaluates all CEL rules of a CRD schema (openAPIV3Schema) against an object,
 * and against its previous version on update. Returns the failures in walk
 * order (the apiserver's own order is map-iteration random).
 */
export function validateCelRules(schema: CelSchema, obj: unknown, oldObj?: unknown, opts: ValidateOptions = {}): CelError[] {
  const w: Walk = { errors: [], opts };
  const isUpdate = oldObj !== undefined && oldObj !== null;
  const ratchet: Ratchet = isUpdate ? { current: new CorrelatedObject(obj, oldObj, schema) } : {};
  walk(w, schema, schema, true, [], obj, isUpdate ? oldObj : undefined, ratchet);
  return w.errors;
}
