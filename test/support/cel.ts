// Shared helper for the CEL library tests (pkg/api/validation/cel): evaluate a
// bare CEL expression in the CRD rule environment.

import type { CelInput } from '@bufbuild/cel';
import { compile, execute } from '../../pkg/api/validation/cel/environment.js';

export function cel(expr: string, vars: Record<string, CelInput> = {}): { value: unknown } | { error: string } {
  const c = compile(expr);
  if ('error' in c) return { error: `compile: ${c.error}` };
  return execute(c.program, vars);
}

/** The error text of an expression expected to fail, or a marker when it succeeded. */
export function celError(expr: string): string {
  const r = cel(expr);
  return 'error' in r ? r.error : `<no error, value ${String(r.value)}>`;
}
