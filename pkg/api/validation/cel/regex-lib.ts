// The Kubernetes CEL regex library (library.Regex): find and findAll.
// Patterns are checked with RE2 (the same engine @bufbuild/cel uses for
// matches()), so RE2-invalid patterns fail like upstream; matching runs on a
// JS RegExp after translating the RE2-only syntax that has a JS equivalent.
// Empty-match handling follows Go's FindAllString.

import { RE2JS } from '@bufbuild/re2';
import { celMethod, CelScalar, listType, type CelFunc } from '@bufbuild/cel';

const { STRING, INT } = CelScalar;

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern to an equivalent global JS RegExp, or throws "Illegal regex". */
export function compileRe2(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    throw new Error(`Illegal regex: ${(e as Error).message}`);
  }
  let src = pattern;
  let flags = 'gu';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U')) throw new Error('Illegal regex: ungreedy flag (?U) is not supported by this evaluator');
    flags += lead[1]!;
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => (POSIX[name] && !neg ? POSIX[name] : m))
    .replace(/\\p([A-Z])/g, '\\p{$1}')
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])');
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch {
    try {
      re = new RegExp(src, flags.replace('u', ''));
    } catch (e) {
      throw new Error(`Illegal regex: ${(e as Error).message}`);
    }
  }
  cache.set(pattern, re);
  return re;
}

/** Go's Regexp.FindAllString(s, n). */
export function findAll(s: string, pattern: string, n: number): string[] {
  const re = compileRe2(pattern);
  const out: string[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      const cp = s.codePointAt(start);
      pos = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m[0]);
  }
  return out;
}

export const regexFuncs: CelFunc[] = [
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return findAll(this, pattern, 1)[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], listType(STRING), function (pattern) {
    return findAll(this, pattern, -1);
  }),
  celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (pattern, n) {
    return findAll(this, pattern, Number(n));
  }),
];
