// Field paths printed like k8s.io/apimachinery field.Path ("spec.disks[0].size",
// "spec.labels[key]") and the apiserver's handling of a rule's fieldPath
// (ValidFieldPath: `.a.b`, `['key']`, checked against the schema).

import type { CelSchema } from './types.js';

export type PathElement = { child: string } | { index: number } | { key: string };

export function formatPath(path: readonly PathElement[]): string {
  let out = '';
  for (const el of path) {
    if ('index' in el) out += `[${el.index}]`;
    else if ('key' in el) out += `[${el.key}]`;
    else out += out === '' ? el.child : `.${el.child}`;
  }
  return out;
}

const SINGLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

function tokenize(path: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.' || c === '[' || c === ']') {
      tokens.push(c);
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      tokens.push(path.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j]!)) j++;
      tokens.push(path.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

/**
 * ValidFieldPath: the normalized path string (as field.Path prints it), or
 * undefined if the path is malformed or names a field the schema lacks (the
 * apiserver rejects such CRDs).
 */
export function normalizeFieldPath(fieldPath: string, schema: CelSchema): string | undefined {
  const out: PathElement[] = [];
  let s: CelSchema | undefined = schema;
  const append = (name: string): boolean => {
    if (!s) return false;
    if (s.properties) {
      out.push({ child: name });
      s = s.properties[name];
      return s !== undefined;
    }
    if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
      out.push({ key: name });
      s = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      return true;
    }
    return false;
  };
  const tokens = tokenize(fieldPath);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === '.') {
      const name = tokens[++i];
      if (name === undefined || !append(name)) return undefined;
    } else if (tok === '[') {
      const quoted = tokens[++i];
      if (quoted === undefined || quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) return undefined;
      let bad = false;
      const name = quoted.slice(1, -1).replace(/\\./g, (m) => SINGLE_QUOTE_ESCAPES[m[1]!] ?? ((bad = true), ''));
      if (bad || !append(name) || tokens[++i] !== ']') return undefined;
    } else {
      return undefined;
    }
  }
  return formatPath(out);
}

/** field.Path.Child(normalized): the normalized text is one more child segment. */
export function appendFieldPath(base: string, normalized: string): string {
  if (normalized === '') return base;
  return base === '' ? normalized : `${base}.${normalized}`;
}
