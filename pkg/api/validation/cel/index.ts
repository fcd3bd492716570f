// CEL evaluation of Kubernetes CRD validation rules (x-kubernetes-validations),
// aiming at the same verdicts as kube-apiserver 1.36. See README.md.

export type { CelSchema } from './types.js';
export { validateCelRules } from './validator.js';
