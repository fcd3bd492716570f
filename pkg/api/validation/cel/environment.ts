// The CEL environment of CRD validation rules (apiserver environment.MustBaseEnvSet
// as of 1.36, minus what @bufbuild/cel cannot express — see README.md), and a
// per-expression compile cache.

import { celEnv, isCelError, parse, plan, type CelEnv, type CelInput, type CelResult } from '@bufbuild/cel';
import { objectRegistry } from './object-types.js';
import { stringsFuncs } from './strings-lib.js';
import { quantityFuncs } from './quantity-lib.js';
import { ipFuncs } from './ip-lib.js';
import { cidrFuncs } from './cidr-lib.js';
import { urlFuncs } from './url-lib.js';
import { listsFuncs } from './lists-lib.js';
import { regexFuncs } from './regex-lib.js';
import { setsFuncs } from './sets-lib.js';
import { optionalFuncs } from './optional-type.js';
import { formatFuncs } from './format-lib.js';
import { equalityFuncs } from './equality.js';

let env: CelEnv | undefined;

function ruleEnv(): CelEnv {
  // Later entries override earlier ones with the same signature (equality last).
  env ??= celEnv({
    registry: objectRegistry,
    funcs: [...stringsFuncs, ...quantityFuncs, ...ipFuncs, ...cidrFuncs, ...urlFuncs, ...listsFuncs, ...regexFuncs, ...setsFuncs, ...optionalFuncs, ...formatFuncs, ...equalityFuncs],
  });
  return env;
}

/** Marks errors caused by this evaluator's gaps, not by the rule: the apiserver may accept the rule. */
export const UNSUPPORTED = 'unsupported by the offline CEL evaluator: ';

export type Program = (bindings: Record<string, CelInput>) => CelResult;
export type Compiled = { program: Program; usesOldSelf: boolean } | { error: string };

const cache = new Map<string, Compiled>();

/** True if the parsed expression mentions the identifier anywhere (AST walk). */
function mentionsIdent(node: unknown, name: string, seen = new Set<object>()): boolean {
  if (typeof node !== 'object' || node === null || seen.has(node)) return false;
  seen.add(node);
  const kind = (node as { exprKind?: { case?: string; value?: { name?: string } } }).exprKind;
  if (kind?.case === 'identExpr' && kind.value?.name === name) return true;
  for (const v of Object.values(node)) if (mentionsIdent(v, name, seen)) return true;
  return false;
}

/** Parses and plans `expr` once; later calls hit the cache. */
export function compile(expr: string): Compiled {
  const hit = cache.get(expr);
  if (hit) return hit;
  let compiled: Compiled;
  try {
    const parsed = parse(expr);
    const run = plan(ruleEnv(), parsed);
    compiled = { program: (b) => run(b), usesOldSelf: mentionsIdent(parsed, 'oldSelf') };
  } catch (e) {
    const msg = (e as Error).message;
    // cel-go parses optional selection (a.?b, a[?b]); @bufbuild/cel's grammar does not.
    compiled = { error: /\.\?|\[\?/.test(expr) ? `${UNSUPPORTED}optional field selection (.? / [?]): ${msg}` : msg };
  }
  cache.set(expr, compiled);
  return compiled;
}

/** Runs a program; library errors are reworded to cel-go's texts where they differ. */
export function execute(program: Program, bindings: Record<string, CelInput>): { value: unknown } | { error: string } {
  let r: CelResult;
  try {
    r = program(bindings);
  } catch (e) {
    return { error: celGoMessage((e as Error).message) };
  }
  return isCelError(r) ? { error: celGoMessage(r.message) } : { value: r };
}

const REWORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^field not found: (.*)$/s, 'no such key: $1'],
  [/^index (-?\d+) out of bounds.*$/s, 'index out of bounds: $1'],
  [/^u?int divide by zero$/, 'division by zero'],
  [/^u?int modulus by zero$/, 'modulus by zero'],
  [/^int overflow.*$/, 'integer overflow'],
  [/^uint overflow.*$/, 'unsigned integer overflow'],
  [/^found no matching overload for '([^']*)' applied to '(.*)'$/s, 'no such overload: $1 applied to $2'],
  // Two-variable comprehensions, cel.bind and other macros cel-go has but @bufbuild/cel lacks.
  [/^unbound function: (.*)$/s, `${UNSUPPORTED}function or macro '$1'`],
];

export function celGoMessage(msg: string): string {
  for (const [re, to] of REWORDS) if (re.test(msg)) return msg.replace(re, to);
  return msg;
}
