// CEL evaluation of Kubernetes CRD validation rules (x-kubernetes-validations),
// aiming at the same verdicts as kube-apiserver 1.36. See README.md.

export type { CelError, CelReason, CelRule, CelSchema, RuleResult } from './types.js';
export { evaluateRule, isTransitionRule } from './evaluate-rule.js';
export { validateCelRules, formatCelError, type ValidateOptions } from './validator.js';
export { toCelValue } from './schema-values.js';
