// Evaluation of one x-kubernetes-validations rule against one value, with the
// apiserver's activation (self / oldSelf / optional oldSelf) and its error and
// message texts (apiextensions-apiserver schema/cel/validation.go).

import type { CelInput } from '@bufbuild/cel';
import type { CelRule, CelSchema, RuleResult } from './types.js';
import { compile, execute, UNSUPPORTED, type Program } from './environment.js';
import { asCelValue, toCelValue } from './schema-values.js';
import { optionalNone, optionalOf } from './optional-type.js';

/** Upper bound on an evaluated messageExpression (celconfig.MaxEvaluatedMessageExpressionSizeBytes). */
const MAX_MESSAGE_BYTES = 5 * 1024;

/** True if the rule references oldSelf, i.e. is a transition rule. */
export function isTransitionRule(rule: string): boolean {
  const c = compile(rule);
  return 'error' in c ? /\boldSelf\b/.test(rule) : c.usesOldSelf;
}

/** ruleErrorString: the trimmed message if set, else the trimmed rule. */
export function ruleErrorString(rule: CelRule): string {
  return rule.message ? rule.message.trim() : rule.rule.trim();
}

/** ruleMessageOrDefault. */
export function ruleMessageOrDefault(rule: CelRule): string {
  return rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** The apiserver's text for a rule that failed to evaluate. */
export function evaluationErrorText(rule: CelRule, err: string): string {
  if (err.startsWith(UNSUPPORTED)) return `${err} (rule: ${ruleErrorString(rule)})`;
  if (err.startsWith('no such overload')) {
    return `'${err}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`;
  }
  return `${err} evaluating rule: ${ruleErrorString(rule)}`;
}

/** evalMessageExpression: the trimmed string, or undefined when the apiserver falls back to the message. */
function messageFromExpression(expr: string, bindings: Record<string, CelInput>): string | undefined {
  const c = compile(expr);
  if ('error' in c) return undefined;
  const r = execute(c.program, bindings);
  if ('error' in r || typeof r.value !== 'string') return undefined;
  const msg = r.value.trim();
  if (msg === '' || msg.includes('\n') || Buffer.byteLength(msg) > MAX_MESSAGE_BYTES) return undefined;
  return msg;
}

/** The text reported when a rule evaluates to false. */
export function failureMessage(rule: CelRule, bindings: Record<string, CelInput>): string {
  if (rule.messageExpression) {
    const m = messageFromExpression(rule.messageExpression, bindings);
    if (m !== undefined) return m;
  }
  return ruleMessageOrDefault(rule);
}

/** `{ unsupported: true }` when an error comes from this evaluator's gaps. */
export function unsupported(err: string): { unsupported?: true } {
  return err.includes(UNSUPPORTED) ? { unsupported: true } : {};
}

interface Prepared {
  program: Program;
  usesOldSelf: boolean;
}

function prepare(rule: CelRule): Prepared | { error: string } {
  const c = compile(rule.rule);
  return 'error' in c ? { error: `rule compile error: ${c.error}` } : c;
}

/**
 * Evaluates `rule` with `self` (and `oldSelf` when `hasOld`). Values are plain
 * JSON, typed by `schema` when given (integer → int, date-time → timestamp, ...);
 * without a schema whole numbers are ints and other numbers doubles.
 * Transition rules without an old value are skipped (ok) unless optionalOldSelf.
 */
export function evaluateRule(rule: CelRule, self: unknown, oldSelf: unknown | undefined, hasOld: boolean, schema?: CelSchema, isResourceRoot = false): RuleResult {
  if (rule.rule.trim() === '') return { ok: true, skipped: true };
  const p = prepare(rule);
  if ('error' in p) return { ok: false, error: p.error, ...unsupported(p.error) };
  const old = hasOld && oldSelf !== undefined && oldSelf !== null;
  if (p.usesOldSelf && !old && !rule.optionalOldSelf) return { ok: true, skipped: true };

  const selfValue = toCelValue(self, schema, isResourceRoot);
  // The activation messageExpression sees: oldSelf bound only when there is an old value.
  const plain: Record<string, CelInput> = { self: selfValue };
  if (old) plain['oldSelf'] = toCelValue(oldSelf, schema, isResourceRoot);
  const bindings = rule.optionalOldSelf ? { self: selfValue, oldSelf: old ? optionalOf(asCelValue(plain['oldSelf']!)) : optionalNone() } : plain;

  const r = execute(p.program, bindings);
  if ('error' in r) return { ok: false, error: evaluationErrorText(rule, r.error), ...unsupported(r.error) };
  if (r.value === true) return { ok: true };
  if (typeof r.value !== 'boolean') return { ok: false, error: 'rule compile error: cel expression must evaluate to a bool' };
  return { ok: false, message: failureMessage(rule, plain) };
}
