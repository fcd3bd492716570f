// cel-go's strings extension, version 2 (what CRD rules get since 1.29).
// @bufbuild/cel's ext/strings is used as the base, but several of its
// functions count UTF-16 units or differ from Go (split with a limit, replace
// with a negative count, trim), so those overloads are replaced by
// code-point based versions of cel-go's semantics.

import { celMethod, CelScalar, listType, type CelFunc } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

const { STRING, INT } = CelScalar;
const LIST_STRING = listType(STRING);

const outOfRange = (i: number | bigint): Error => new Error(`index out of range: ${i}`);
const runes = (s: string): string[] => Array.from(s);

function indexIn(hay: string[], needle: string[], from: number): number {
  for (let i = from; i + needle.length <= hay.length; i++) {
    if (needle.every((c, j) => hay[i + j] === c)) return i;
  }
  return -1;
}

function lastIndexIn(hay: string[], needle: string[], from: number): number {
  for (let i = Math.min(from, hay.length - needle.length); i >= 0; i--) {
    if (needle.every((c, j) => hay[i + j] === c)) return i;
  }
  return -1;
}

function indexOf(s: string, sub: string, offset?: bigint): bigint {
  if (sub === '') return offset ?? 0n;
  const r = runes(s);
  if (offset === undefined) return BigInt(indexIn(r, runes(sub), 0));
  if (offset < 0n || offset >= BigInt(r.length)) throw outOfRange(offset);
  return BigInt(indexIn(r, runes(sub), Number(offset)));
}

function lastIndexOf(s: string, sub: string, offset?: bigint): bigint {
  const r = runes(s);
  if (sub === '') return offset ?? BigInt(r.length);
  if (offset === undefined) return BigInt(lastIndexIn(r, runes(sub), r.length));
  if (offset < 0n || offset >= BigInt(r.length)) throw outOfRange(offset);
  return BigInt(lastIndexIn(r, runes(sub), Number(offset)));
}

/** Go strings.Replace(s, old, new, n). */
function replace(s: string, from: string, to: string, n: bigint = -1n): string {
  if (n === 0n || from === to) return s;
  let count = n < 0n ? Infinity : Number(n);
  if (from === '') {
    const r = runes(s);
    let out = '';
    for (let i = 0; i <= r.length; i++) {
      if (count > 0) {
        out += to;
        count--;
      }
      if (i < r.length) out += r[i];
    }
    return out;
  }
  let out = '';
  let rest = s;
  while (count > 0) {
    const i = rest.indexOf(from);
    if (i < 0) break;
    out += rest.slice(0, i) + to;
    rest = rest.slice(i + from.length);
    count--;
  }
  return out + rest;
}

/** Go strings.SplitN(s, sep, n). */
function split(s: string, sep: string, n: bigint = -1n): string[] {
  if (n === 0n) return [];
  const limit = n < 0n ? Infinity : Number(n);
  if (sep === '') {
    const r = runes(s);
    if (r.length <= limit) return r;
    return [...r.slice(0, limit - 1), r.slice(limit - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (out.length < limit - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const r = runes(s);
  const len = BigInt(r.length);
  if (start < 0n || start > len) throw outOfRange(start);
  const stop = end ?? len;
  if (stop < 0n || stop > len) throw outOfRange(stop);
  if (start > stop) throw new Error(`invalid substring range. start: ${start}, end: ${stop}`);
  return r.slice(Number(start), Number(stop)).join('');
}

// unicode.IsSpace, as used by strings.TrimSpace.
const isSpace = (c: string): boolean => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);

function trim(s: string): string {
  const r = runes(s);
  let a = 0;
  let b = r.length;
  while (a < b && isSpace(r[a]!)) a++;
  while (b > a && isSpace(r[b - 1]!)) b--;
  return r.slice(a, b).join('');
}

export const stringsFuncs: CelFunc[] = [
  ...strings,
  celMethod('charAt', STRING, [INT], STRING, function (i) {
    const r = runes(this);
    if (i < 0n || i > BigInt(r.length)) throw outOfRange(i);
    return r[Number(i)] ?? '';
  }),
  celMethod('indexOf', STRING, [STRING], INT, function (sub) {
    return indexOf(this, sub);
  }),
  celMethod('indexOf', STRING, [STRING, INT], INT, function (sub, off) {
    return indexOf(this, sub, off);
  }),
  celMethod('lastIndexOf', STRING, [STRING], INT, function (sub) {
    return lastIndexOf(this, sub);
  }),
  celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (sub, off) {
    return lastIndexOf(this, sub, off);
  }),
  celMethod('replace', STRING, [STRING, STRING], STRING, function (a, b) {
    return replace(this, a, b);
  }),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, function (a, b, n) {
    return replace(this, a, b, n);
  }),
  celMethod('split', STRING, [STRING], LIST_STRING, function (sep) {
    return split(this, sep);
  }),
  celMethod('split', STRING, [STRING, INT], LIST_STRING, function (sep, n) {
    return split(this, sep, n);
  }),
  celMethod('substring', STRING, [INT], STRING, function (a) {
    return substring(this, a);
  }),
  celMethod('substring', STRING, [INT, INT], STRING, function (a, b) {
    return substring(this, a, b);
  }),
  celMethod('trim', STRING, [], STRING, function () {
    return trim(this);
  }),
];
