// Field paths of references, written as users read them, turned into CEL for
// admission policies. A path is dot-separated; `[]` marks a list whose every
// item counts, `[kind=App]` a list whose items count only when that field
// has that value, and `(kind=X)` an object that counts only then:
//
//   spec.cloudInit.userDataSecretRef.name
//   spec.env[].secretKeyRef.name
//   spec.dependsOn[kind=App].name
//   spec.instancetype(kind=VirtualMachineInstancetype).name
//   spec.rules.ingress[].from[].network
//
// Every expression tolerates absent fields (CEL optionals), so a reference
// that is not set yields nothing.

interface Segment {
  field: string;
  /** A list (every item), or an object that counts only when `where` holds. */
  shape: 'field' | 'list' | 'object';
  where?: { key: string; value: string };
}

const segmentPattern = /^([A-Za-z][A-Za-z0-9]*)(?:\[(?:([A-Za-z][A-Za-z0-9]*)=([A-Za-z0-9-]+))?\]|\(([A-Za-z][A-Za-z0-9]*)=([A-Za-z0-9-]+)\))?$/;

function parseReferencePath(path: string): Segment[] {
  const segments = path.split('.').map((part): Segment => {
    const m = segmentPattern.exec(part);
    if (!m) throw new Error(`reference path ${path}: cannot read "${part}"`);
    if (m[4]) return { field: m[1]!, shape: 'object', where: { key: m[4], value: m[5]! } };
    if (!part.includes('[')) return { field: m[1]!, shape: 'field' };
    return m[2] ? { field: m[1]!, shape: 'list', where: { key: m[2], value: m[3]! } } : { field: m[1]!, shape: 'list' };
  });
  if (segments.at(-1)!.shape !== 'field') throw new Error(`reference path ${path}: must end in a plain field`);
  return segments;
}

/** `root.?a.?b` */
function chain(root: string, fields: Segment[]): string {
  return fields.reduce((expr, s) => `${expr}.?${s.field}`, root);
}

/** The segments before the first list or conditional object, that one, and the rest. */
function split(segments: Segment[]): { before: Segment[]; branch?: Segment; rest: Segment[] } {
  const i = segments.findIndex((s) => s.shape !== 'field');
  if (i < 0) return { before: segments, rest: [] };
  return { before: segments.slice(0, i), branch: segments[i], rest: segments.slice(i + 1) };
}

/** The branch's items: a list's items, or the conditional object as a list of zero or one. */
function items(root: string, before: Segment[], branch: Segment): string {
  const at = chain(root, [...before, branch]);
  return branch.shape === 'list' ? `${at}.orValue([])` : `[?${at}]`;
}

function condition(item: string, branch: Segment, also: string): string {
  const where = branch.where ? `${item}.?${branch.where.key}.orValue('') == '${branch.where.value}'` : undefined;
  return where ? `${where} && ${also}` : also;
}

/** Turns the CEL expression of a value found at the path into what is compared and checked (default: the value). */
export type ValueKey = (value: string) => string;

const asIs: ValueKey = (v) => v;

/**
 * A CEL list of the values the path holds under `root` (a variable holding
 * an object, never null), each passed through `key`.
 */
function namesAt(root: string, segments: Segment[], key: ValueKey = asIs, depth = 0): string {
  const { before, branch, rest } = split(segments);
  if (!branch) return key === asIs ? `[?${chain(root, before)}]` : `[?${chain(root, before)}].map(v, ${key('v')})`;
  const item = `x${depth}`;
  if (!rest.some((s) => s.shape !== 'field')) {
    const present = `${chain(item, rest)}.hasValue()`;
    return `${items(root, before, branch)}.filter(${item}, ${condition(item, branch, present)}).map(${item}, ${key([item, ...rest.map((s) => s.field)].join('.'))})`;
  }
  const inner = namesAt(item, rest, key, depth + 1);
  const selected = branch.where ? `${items(root, before, branch)}.filter(${item}, ${condition(item, branch, 'true')})` : items(root, before, branch);
  return `${selected}.map(${item}, ${inner}).flatten()`;
}

/**
 * A CEL string: the field path (with list indexes, as the apiserver prints
 * them) of the first place under `root` whose value (passed through `key`)
 * is the CEL expression `name`, which must be held somewhere.
 */
function fieldHolding(root: string, segments: Segment[], name: string, key: ValueKey = asIs, depth = 0): string {
  const { before, branch, rest } = split(segments);
  const leading = before.map((s) => s.field).join('.');
  if (!branch) return `'${leading}'`;
  const item = `x${depth}`;
  const index = `i${depth}`;
  const path = [leading, branch.field].filter(Boolean).join('.');
  const holds = condition(item, branch, `${name} in ${namesAt(item, rest, key, depth + 1)}`);
  const tail = fieldHolding(item, rest, name, key, depth + 1);
  const text = branch.shape === 'list' ? `'${path}[' + string(${index}) + '].' + ${tail}` : `'${path}.' + ${tail}`;
  return `${items(root, before, branch)}.transformList(${index}, ${item}, ${holds}, ${text})[0]`;
}

/** How many values the path can hold: one, or any number (it crosses a list). */
export function valuesAt(path: string): number {
  return parseReferencePath(path).some((s) => s.shape === 'list') ? Infinity : 1;
}

/** namesAt for `object`, or for `oldObject` (empty on create). */
export function namesIn(root: 'object' | 'oldObject', path: string, key: ValueKey = asIs): string {
  const expr = namesAt(root, parseReferencePath(path), key);
  return root === 'oldObject' ? `(oldObject == null ? [] : ${expr})` : expr;
}

/** fieldHolding under `object`. */
export function fieldIn(path: string, name: string, key: ValueKey = asIs): string {
  return fieldHolding('object', parseReferencePath(path), name, key);
}
