// Property names as CEL sees them (apiserver cel.Escape): reserved words
// become __word__, "__" / "." / "-" / "/" are spelled out, and names that
// cannot be escaped are not accessible from rules.

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

const SPELLED: Readonly<Record<string, string>> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/** The CEL field name of a property, or undefined if it cannot be expressed. */
export function escapeProperty(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const out = name.replace(/__|[^a-zA-Z0-9_]/g, (m) => {
    const r = SPELLED[m];
    if (r === undefined) ok = false;
    return r ?? '';
  });
  return ok ? out : undefined;
}
